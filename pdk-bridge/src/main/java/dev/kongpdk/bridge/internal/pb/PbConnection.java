package dev.kongpdk.bridge.internal.pb;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.kongpdk.Kong;
import dev.kongpdk.bridge.ConfigException;
import dev.kongpdk.bridge.PluginInstance;
import dev.kongpdk.bridge.ServerObserver.EventEnd;
import dev.kongpdk.bridge.internal.RpcDispatcher;
import dev.kongpdk.bridge.internal.Instances;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * Serves one connection from Kong in the ProtoBuf protocol: reads one {@code RpcCall} frame at a
 * time and answers it with an {@code RpcReturn} frame echoing its sequence. A {@code
 * cmd_handle_event} first runs the event's PDK call loop on this same connection ({@link PbEvent}),
 * then ends it with an empty frame and the {@code RpcReturn}.
 *
 * <p>The protocol has no error reply: where MessagePack answers an error, this connection is
 * closed. For an unknown instance id that is exactly what Kong needs (it starts the plugin afresh
 * and runs the event again); other failures are logged here with their reason.
 */
final class PbConnection implements Runnable {

  private static final System.Logger LOG = System.getLogger(PbConnection.class.getName());
  private static final byte[] EMPTY = new byte[0];

  /** How long a shed connection may take to send its call. */
  private static final Duration SHED_FIRST_CALL = Duration.ofMillis(200);

  private final PbService service;
  private final FrameChannel io;
  /** Beyond the connection limit: one call is answered, an event without running it. */
  private final boolean shed;

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
      service.stats.messageOverLimit();
      service.overLimit.refused("closing a connection whose frame exceeds the server's limits: "
          + e.getMessage() + " (see --max-message-bytes, --max-buffered-bytes)");
    } catch (FrameChannel.ReadTimeoutException e) {
      LOG.log(Level.DEBUG, e.getMessage()); // counted and logged when it expired
    } catch (ClosedChannelException e) {
      LOG.log(Level.DEBUG, "connection closed");
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "connection failed: " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "closing a connection after an internal error", e);
    } finally {
      try {
        io.close();
      } catch (IOException e) {
        LOG.log(Level.DEBUG, "closing a connection: " + e.getMessage());
      }
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
        call = RpcCall.parseFrom(frame);
      } catch (InvalidProtocolBufferException e) {
        service.stats.malformedMessage();
        LOG.log(Level.WARNING, "closing a connection after a malformed RpcCall: " + e.getMessage());
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
          LOG.log(Level.WARNING, "closing a connection after an RpcCall without a command");
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
    String tooLarge = service.configLimit.refusal(cmd.getName(), config, service.instances);
    if (tooLarge != null) {
      service.stats.instanceRejected(cmd.getName());
      service.stats.configOverLimit(cmd.getName());
      LOG.log(Level.ERROR, "rejected config, closing the connection: " + tooLarge);
      return false;
    }
    PluginInstance instance;
    try {
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
        service.timeouts.eventTimeout(), service.live::remove,
        (method, nanos) -> service.stats.pdkCall(plugin, phase, method, nanos));
    service.live.add(event);
    service.stats.eventStarted(plugin, phase);
    try {
      CountDownLatch handlerDone = new CountDownLatch(1);
      // cancel(true) interrupts the handler only while it still runs this event
      Future<?> handler;
      try {
        handler = service.handlers.submit(() -> {
          try {
            Kong kong = instance.pdk(phase, event);
            Throwable failure = instance.run(phase, kong);
            PbEvent.End end = event.end();
            if (failure != null && (end == PbEvent.End.TIMED_OUT
                || end == PbEvent.End.CONNECTION_LOST)) {
              // Counted and logged once when the event ended: what the handler threw then is
              // the consequence (its PDK call failed, or its wait was interrupted).
              LOG.log(Level.DEBUG, "an event ended before its handler, which then threw "
                  + failure);
            } else if (failure != null) {
              service.stats.eventFailed(plugin, phase);
              instance.reportFailure(phase, kong, failure);
            }
          } finally {
            service.limit.release();
            handlerDone.countDown();
          }
        });
      } catch (RejectedExecutionException e) {
        service.limit.release();
        throw e;
      }
      boolean finished;
      try {
        finished = event.awaitHandler(handlerDone);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        event.endWith(PbEvent.End.CONNECTION_LOST, "the plugin server is shutting down");
        return false;
      }
      if (finished) {
        event.endWith(PbEvent.End.COMPLETED, "the event is over", EMPTY, done);
      } else {
        return timedOut(event, instance, phase, handler, done);
      }
      return switch (event.end()) {
        case COMPLETED -> {
          service.stats.eventEnded(plugin, phase, EventEnd.COMPLETED, event.ageNanos());
          yield true;
        }
        case EXITED -> exited(event, plugin, phase);
        case CONNECTION_LOST, TIMED_OUT -> false;
      };
    } finally {
      event.endWith(PbEvent.End.CONNECTION_LOST, "the connection is closing");
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

  private boolean timedOut(
      PbEvent event, PluginInstance instance, Phase phase, Future<?> handler, byte[] done)
      throws IOException {
    String plugin = instance.descriptor().name();
    // Counted before Kong hears of it; in the rare race where the event exited just before, the
    // event counts as timed out only.
    service.stats.eventEnded(plugin, phase, EventEnd.TIMED_OUT, event.ageNanos());
    long ms = service.timeouts.of(instance.descriptor(), phase).toMillis();
    boolean closed = instance.failsClosedIn(phase);
    byte[][] frames = closed ? exitWith500() : new byte[][] {EMPTY, done};
    PbEvent.Ending ending = event.endWith(PbEvent.End.TIMED_OUT,
        "plugin '" + plugin + "' did not finish or call Kong within " + ms + " ms in the "
            + phase.luaName() + " phase", frames);
    switch (ending) {
      case WROTE -> {
        LOG.log(Level.ERROR, event.endReason() + (closed
            ? "; answered 500 to the client (fail closed)"
            : "; the request goes on without the plugin (fail open)"));
        handler.cancel(true);
        return true;
      }
      case HANDLER_IN_CALL -> {
        LOG.log(Level.ERROR, "Kong did not answer a PDK call of plugin ''{0}'' within {1} ms;"
            + " closing the connection", plugin, String.valueOf(service.timeouts.eventTimeout()
            .toMillis()));
        handler.cancel(true);
        return false;
      }
      default -> {
        return event.end() == PbEvent.End.EXITED || event.end() == PbEvent.End.COMPLETED;
      }
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
