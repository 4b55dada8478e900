package dev.kongpdk.bridge.internal.pb;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.kongpdk.Kong;
import dev.kongpdk.bridge.ConfigException;
import dev.kongpdk.bridge.PluginInstance;
import dev.kongpdk.bridge.ServerObserver.EventEnd;
import dev.kongpdk.bridge.internal.RpcDispatcher;
import dev.kongpdk.bridge.internal.Instances;
import dev.kongpdk.bridge.internal.limits.ConfigLimit;
import dev.kongpdk.bridge.internal.limits.OverLimitException;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.CmdHandleEvent;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.CmdStartInstance;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.InstanceStatus;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.PluginInfo;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.PluginNames;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.RpcCall;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.RpcReturn;
import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginDescriptor;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Serves one connection from Kong in the ProtoBuf protocol: reads one {@code RpcCall} frame at a
 * time and answers it with an {@code RpcReturn} frame echoing its sequence. A {@code
 * cmd_handle_event} runs the event's handler on this connection's thread, with no hand-off: the
 * handler's PDK calls go out and Kong's answers come back on this same connection ({@link
 * PbEvent}), then the event ends with an empty frame and the {@code RpcReturn}.
 *
 * <p>While the handler runs, nobody waits on its behalf: the server's janitor checks each event in
 * flight a few times a second ({@link #check}). An event past its limit (the phase's handler
 * limit, or the event timeout for Kong's answer to a PDK call) is answered with the plugin's
 * failure policy, counted and logged once; the connection then goes on with a new reading thread
 * while the stuck handler keeps the old one until its interrupt ends it. When the handler is
 * inside a call waiting for Kong, the connection is closed instead (nothing can be written
 * then). A connection that shows input under a handler running outside a call has been closed
 * by Kong (it gave up on the event): the event ends as lost, the connection is closed at once
 * and the handler interrupted.
 *
 * <p>The protocol has no error reply: where MessagePack answers an error, this connection is
 * closed. For an unknown instance id that is exactly what Kong needs (it starts the plugin afresh
 * and runs the event again); other failures are logged here with their reason.
 */
final class PbConnection implements Runnable {

  private static final System.Logger LOG = System.getLogger(PbConnection.class.getName());
  private static final byte[] EMPTY = new byte[0];
  /** The type of every frame Kong sends outside an event: its commands are RpcCall messages. */
  private static final ProtoSchema.Type CALL = ProtoSchema.kong().type("RpcCall");

  /** How long a shed connection may take to send its call. */
  private static final Duration SHED_FIRST_CALL = Duration.ofMillis(200);

  /** How long a handler runs past its last PDK answer before its connection is probed. */
  private static final long PROBE_AFTER_NANOS = Duration.ofMillis(500).toNanos();

  private final PbService service;
  private final FrameChannel io;
  /** Beyond the connection limit: one call is answered, an event without running it. */
  private final boolean shed;
  /** Set when an ended event's connection was taken over by the janitor (handed on or closed). */
  private boolean handedOver;

  PbConnection(PbService service, FrameChannel io, boolean shed) {
    this.service = service;
    this.io = io;
    this.shed = shed;
  }

  @Override
  public void run() {
    try {
      serve();
    } catch (OverLimitException e) {
      frameOverLimit(e.getMessage());
    } catch (FrameChannel.ReadTimeoutException e) {
      LOG.log(Level.DEBUG, e.getMessage()); // counted and logged when it expired
    } catch (ClosedChannelException e) {
      LOG.log(Level.DEBUG, "connection closed");
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "connection failed: " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "closing a connection after an internal error", e);
    } finally {
      if (!handedOver) {
        closeQuietly();
      }
    }
  }

  /** Counts and logs (throttled) a frame from Kong over the limits; its connection is closed. */
  private void frameOverLimit(String reason) {
    service.stats.messageOverLimit();
    service.overLimit.refused("closing a connection whose frame exceeds the server's limits: "
        + reason + " (see --max-message-bytes, --max-decoded-bytes, --max-buffered-bytes)");
  }

  private void closeQuietly() {
    try {
      io.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing a connection: " + e.getMessage());
    }
  }

  /** Serves calls until Kong closes the connection or a call ends it. */
  private void serve() throws IOException {
    boolean open = true;
    while (open) {
      byte[] frame = shed ? io.readFirst(SHED_FIRST_CALL) : io.read();
      if (frame == null) {
        return;
      }
      RpcCall call;
      try {
        io.holdDecoded(DecodedSize.of(frame, CALL));
        call = RpcCall.parseFrom(frame);
      } catch (InvalidProtocolBufferException e) {
        service.stats.malformedMessage();
        service.malformed.refused("closing a connection after a malformed RpcCall: "
            + e.getMessage());
        return;
      }
      open = switch (call.getCallCase()) {
        case CMD_START_INSTANCE -> startInstance(call);
        case CMD_CLOSE_INSTANCE -> closeInstance(call);
        case CMD_HANDLE_EVENT -> handleEvent(call);
        case CMD_GET_PLUGIN_NAMES -> reply(RpcReturn.newBuilder()
            .setSequence(call.getSequence())
            .setPluginNames(PluginNames.newBuilder().addAllNames(service.plugins.keySet())));
        case CMD_GET_PLUGIN_INFO -> pluginInfo(call);
        case CMD_GET_INSTANCE_STATUS -> instanceStatus(call);
        case CALL_NOT_SET -> {
          service.stats.malformedMessage();
          service.malformed.refused("closing a connection after an RpcCall without a command");
          yield false;
        }
      };
      open &= !shed;
    }
  }

  private boolean reply(RpcReturn.Builder message) throws IOException {
    io.write(message.build().toByteArray());
    return true;
  }

  // ---- instances ----------------------------------------------------------------------------

  private boolean startInstance(RpcCall call) throws IOException {
    CmdStartInstance cmd = call.getCmdStartInstance();
    PluginDescriptor descriptor = service.plugins.get(cmd.getName());
    if (descriptor == null) {
      service.stats.instanceRejected(null);
      LOG.log(Level.ERROR, "Kong asked for plugin ''{0}'', which this server does not serve (it"
          + " serves {1}); closing the connection", cmd.getName(),
          String.join(", ", service.plugins.keySet()));
      return false;
    }
    String config = cmd.getConfig().toStringUtf8();
    ConfigLimit.Admission admission =
        service.configLimit.admit(cmd.getName(), config, service.instances);
    if (admission.refusal() != null) {
      service.stats.instanceRejected(cmd.getName());
      service.stats.configOverLimit(cmd.getName());
      service.configLimit.logRefusal(
          "rejected config, closing the connection: " + admission.refusal());
      return false;
    }
    PluginInstance instance;
    try (admission) {
      instance = RpcDispatcher.startInstance(descriptor, config, service.stats.observer());
    } catch (ConfigException e) {
      service.stats.instanceRejected(descriptor.name());
      LOG.log(Level.ERROR, "plugin ''{0}'': rejected config, closing the connection: {1}",
          cmd.getName(), e.getMessage());
      return false;
    }
    Instances.Entry entry = service.instances.add(instance);
    service.stats.instanceStarted(descriptor.name());
    LOG.log(Level.DEBUG, "plugin ''{0}'': started instance {1}", cmd.getName(), entry.id());
    return reply(RpcReturn.newBuilder()
        .setSequence(call.getSequence())
        .setInstanceStatus(status(entry)));
  }

  /** Closing an unknown instance is answered too: Kong only wants it gone. */
  private boolean closeInstance(RpcCall call) throws IOException {
    int id = call.getCmdCloseInstance().getInstanceId();
    RpcReturn.Builder ret = RpcReturn.newBuilder().setSequence(call.getSequence());
    service.instances.remove(id).ifPresent(entry -> ret.setInstanceStatus(status(entry)));
    return reply(ret);
  }

  private boolean instanceStatus(RpcCall call) throws IOException {
    int id = call.getCmdGetInstanceStatus().getInstanceId();
    Optional<Instances.Entry> entry = service.instances.use(id);
    if (entry.isEmpty()) {
      return unknownInstance(id);
    }
    return reply(RpcReturn.newBuilder()
        .setSequence(call.getSequence())
        .setInstanceStatus(status(entry.get())));
  }

  private boolean pluginInfo(RpcCall call) throws IOException {
    String name = call.getCmdGetPluginInfo().getName();
    PluginDescriptor plugin = service.plugins.get(name);
    if (plugin == null) {
      LOG.log(Level.ERROR, "Kong asked for the info of plugin ''{0}'', which this server does not"
          + " serve; closing the connection", name);
      return false;
    }
    PluginInfo.Builder info = PluginInfo.newBuilder()
        .setName(plugin.name())
        .setVersion(plugin.version())
        .setPriority(plugin.priority())
        .setSchema(plugin.schemaJson());
    plugin.phases().forEach(phase -> info.addPhases(phase.luaName()));
    return reply(RpcReturn.newBuilder().setSequence(call.getSequence()).setPluginInfo(info));
  }

  private static InstanceStatus status(Instances.Entry entry) {
    return InstanceStatus.newBuilder()
        .setName(entry.instance().descriptor().name())
        .setInstanceId(entry.id())
        .setStartedAt(entry.startedAt().getEpochSecond())
        .build();
  }

  private boolean unknownInstance(int id) {
    service.stats.rpcError();
    LOG.log(Level.INFO, "no plugin instance {0}: closing the connection, so that Kong starts the"
        + " plugin afresh and runs the event again", id);
    return false;
  }

  // ---- events -------------------------------------------------------------------------------

  private boolean handleEvent(RpcCall call) throws IOException {
    CmdHandleEvent cmd = call.getCmdHandleEvent();
    Optional<Instances.Entry> entry = service.instances.use(cmd.getInstanceId());
    if (entry.isEmpty()) {
      return unknownInstance(cmd.getInstanceId());
    }
    PluginInstance instance = entry.get().instance();
    byte[] done = RpcReturn.newBuilder().setSequence(call.getSequence()).build().toByteArray();
    Phase phase = phase(instance, cmd.getEventName());
    if (phase == null) {
      // Closing would make Kong reset the instance and retry the same event forever.
      io.write(EMPTY, done);
      return true;
    }
    String plugin = instance.descriptor().name();
    if (shed || !service.limit.tryAcquire()) {
      return shed(instance, phase, done, shed);
    }
    Duration handlerTimeout = service.timeouts.of(instance.descriptor(), phase);
    PbEvent event = new PbEvent(io, service.methods, handlerTimeout,
        service.timeouts.eventTimeout(), ended -> {
          service.live.remove(ended);
          if (ended.end() == PbEvent.End.TIMED_OUT) {
            // counted once, before Kong hears of it
            service.stats.eventEnded(plugin, phase, EventEnd.TIMED_OUT, ended.ageNanos());
          } else if (ended.end() == PbEvent.End.OVER_LIMIT) {
            frameOverLimit(ended.endReason());
          }
        },
        (method, nanos) -> service.stats.pdkCall(plugin, phase, method, nanos));
    service.live.put(event, now -> check(event, instance, phase, done, now));
    service.stats.eventStarted(plugin, phase);
    try {
      try {
        runHandler(event, instance, phase);
      } finally {
        service.limit.release();
      }
      event.complete(EMPTY, done);
      return switch (event.end()) {
        case COMPLETED -> {
          service.stats.eventEnded(plugin, phase, EventEnd.COMPLETED, event.ageNanos());
          yield true;
        }
        case EXITED -> exited(event, plugin, phase);
        case CONNECTION_LOST, OVER_LIMIT -> false;
        case TIMED_OUT -> {
          // The janitor answered Kong and gave the connection to a new reading thread, or
          // closed it: this thread no longer touches it.
          handedOver = true;
          yield false;
        }
      };
    } finally {
      event.endWith(PbEvent.End.CONNECTION_LOST, "the connection is closing");
      Thread.interrupted(); // an interrupt meant for this event must not reach the next read
    }
  }

  /** Runs the handler on this thread; what it throws is counted and reported once. */
  private void runHandler(PbEvent event, PluginInstance instance, Phase phase) {
    String plugin = instance.descriptor().name();
    try {
      Kong kong = instance.pdk(phase, event);
      Throwable failure = instance.run(phase, kong);
      PbEvent.End end = event.end();
      if (failure != null && (end == PbEvent.End.TIMED_OUT
          || end == PbEvent.End.CONNECTION_LOST || end == PbEvent.End.OVER_LIMIT)) {
        // Counted and logged once when the event ended: what the handler threw then is the
        // consequence (its PDK call failed, or its wait was interrupted).
        LOG.log(Level.DEBUG, "an event ended before its handler, which then threw " + failure);
      } else if (failure != null) {
        service.stats.eventFailed(plugin, phase);
        instance.reportFailure(phase, kong, failure);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "plugin ''" + plugin + "'': reporting a failure failed inside the"
          + " server", e);
    }
  }

  /**
   * After {@code kong.response.exit} Kong never reads this connection again and closes it when the
   * request ends: nothing more is written, and the next read sees that close.
   */
  private boolean exited(PbEvent event, String plugin, Phase phase) {
    service.stats.eventEnded(plugin, phase, EventEnd.EXITED, event.ageNanos());
    return true;
  }

  /**
   * Run by the server's janitor for each event in flight, at {@code now} ({@link
   * System#nanoTime()}): ends it when it is past its limit, or when Kong closed its connection
   * under a handler that has run half a second or more since its last PDK answer (sooner would
   * probe every short event for nothing).
   */
  private void check(PbEvent event, PluginInstance instance, Phase phase, byte[] done, long now) {
    if (event.end() != null) {
      return;
    }
    if (event.overdue(now)) {
      timedOut(event, instance, phase, done);
    } else if (event.idleNanos(now) > PROBE_AFTER_NANOS) {
      String plugin = instance.descriptor().name();
      if (event.endIfInputArrived("Kong closed the connection while plugin '" + plugin
          + "' ran its " + phase.luaName() + " phase")) {
        LOG.log(Level.WARNING, "plugin ''{0}'': Kong closed the connection while the {1} phase"
            + " ran (after {2} ms); the event is ended", plugin, phase.luaName(),
            String.valueOf(event.ageNanos() / 1_000_000));
        service.stats.eventLost(plugin, phase);
        closeQuietly(); // its buffers and descriptor go at once
        event.interruptHandler();
      }
    }
  }

  /**
   * Ends an event past its limit: tells Kong (a 500 when the phase fails closed, otherwise the
   * event's end), gives the connection to a new reading thread and interrupts the handler; when
   * the handler is inside a PDK call waiting for Kong, closes the connection instead, which also
   * ends that call.
   */
  private void timedOut(PbEvent event, PluginInstance instance, Phase phase, byte[] done) {
    String plugin = instance.descriptor().name();
    long ms = service.timeouts.of(instance.descriptor(), phase).toMillis();
    boolean closed = instance.failsClosedIn(phase);
    byte[][] frames = closed ? exitWith500() : new byte[][] {EMPTY, done};
    PbEvent.Ending ending;
    try {
      ending = event.endWith(PbEvent.End.TIMED_OUT,
          "plugin '" + plugin + "' did not finish or call Kong within " + ms + " ms in the "
              + phase.luaName() + " phase", frames);
    } catch (IOException e) {
      LOG.log(Level.ERROR, event.endReason() + "; the connection failed while answering Kong: "
          + e.getMessage());
      closeQuietly();
      event.interruptHandler();
      return;
    }
    switch (ending) {
      case WROTE -> {
        LOG.log(Level.ERROR, event.endReason() + (closed
            ? "; answered 500 to the client (fail closed)"
            : "; the request goes on without the plugin (fail open)"));
        try {
          service.serveElsewhere(new PbConnection(service, io, false), io.channel());
        } catch (OutOfMemoryError | RuntimeException e) { // no thread to be had
          LOG.log(Level.ERROR, "no thread to go on serving the connection of plugin ''{0}'';"
              + " closing it: {1}", plugin, e.toString());
          closeQuietly();
        }
        event.interruptHandler();
      }
      case HANDLER_IN_CALL -> {
        LOG.log(Level.ERROR, "Kong did not answer a PDK call of plugin ''{0}'' within {1} ms;"
            + " closing the connection", plugin, String.valueOf(service.timeouts.eventTimeout()
            .toMillis()));
        closeQuietly();
        event.interruptHandler();
      }
      case ALREADY_ENDED -> { }
    }
  }

  /**
   * Answers an event the server sheds with the plugin's failure policy, without running it: {@code
   * kong.response.exit(500)} when it fails closed (Kong reads nothing more from this connection
   * then), otherwise the event's end, so the request goes on without the plugin. Events are shed
   * beyond the cap on events in flight, and on a connection beyond the connection cap, which is
   * closed after its one request ({@code closeAfter}).
   *
   * @return whether to keep reading the connection
   */
  private boolean shed(PluginInstance instance, Phase phase, byte[] done, boolean closeAfter)
      throws IOException {
    service.stats.eventShed(instance.descriptor().name(), phase);
    io.write(instance.failsClosedIn(phase) ? exitWith500() : new byte[][] {EMPTY, done});
    return !closeAfter;
  }

  private byte[][] exitWith500() {
    PbMethod exit = service.methods.find("kong.response.exit").orElseThrow();
    return new byte[][] {
      exit.luaName().getBytes(StandardCharsets.UTF_8),
      PdkCodec.encodeArgs(exit, 500L, PluginInstance.UNEXPECTED_ERROR_BODY, Map.of())
    };
  }

  private static Phase phase(PluginInstance instance, String eventName) {
    String plugin = instance.descriptor().name();
    Phase phase;
    try {
      phase = Phase.fromLuaName(eventName);
    } catch (IllegalArgumentException e) {
      LOG.log(Level.ERROR, "plugin ''{0}'': unknown phase ''{1}''", plugin, eventName);
      return null;
    }
    if (!instance.descriptor().phases().contains(phase)) {
      LOG.log(Level.ERROR, "plugin ''{0}'' does not implement the {1} phase", plugin, eventName);
      return null;
    }
    return phase;
  }
}
