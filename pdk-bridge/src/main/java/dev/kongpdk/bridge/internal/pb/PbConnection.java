package dev.kongpdk.bridge.internal.pb;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.kongpdk.Kong;
import dev.kongpdk.bridge.ConfigException;
import dev.kongpdk.bridge.PluginInstance;
import dev.kongpdk.bridge.internal.Instances;
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
import java.util.Map;
import java.util.Optional;

/**
 * Serves one connection from Kong in the ProtoBuf protocol: reads one {@code RpcCall} frame at a
 * time and answers it with an {@code RpcReturn} frame echoing its sequence. A {@code
 * cmd_handle_event} runs the event's handler on this connection's thread, whose PDK calls go out
 * and come back on this same connection ({@link PbEvent}), then ends it with an empty frame and
 * the {@code RpcReturn}.
 *
 * <p>The protocol has no error reply: where MessagePack answers an error, this connection is
 * closed. For an unknown instance id that is exactly what Kong needs (it starts the plugin afresh
 * and runs the event again); other failures are logged here with their reason.
 */
final class PbConnection implements Runnable {

  private static final System.Logger LOG = System.getLogger(PbConnection.class.getName());
  private static final byte[] EMPTY = new byte[0];

  private final PbService service;
  private final FrameChannel io;
  /** Set when a timed-out event's connection went to another reader (or was closed for it). */
  private boolean handedOver;

  PbConnection(PbService service, FrameChannel io) {
    this.service = service;
    this.io = io;
  }

  @Override
  public void run() {
    try {
      boolean open = true;
      while (open) {
        byte[] frame = io.read();
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
      }
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

  private boolean reply(RpcReturn.Builder message) throws IOException {
    io.write(message.build().toByteArray());
    return true;
  }

  // ---- instances ----------------------------------------------------------------------------

  private boolean startInstance(RpcCall call) throws IOException {
    CmdStartInstance cmd = call.getCmdStartInstance();
    PluginDescriptor descriptor = service.plugins.get(cmd.getName());
    if (descriptor == null) {
      service.stats.instanceRejected();
      LOG.log(Level.ERROR, "Kong asked for plugin ''{0}'', which this server does not serve (it"
          + " serves {1}); closing the connection", cmd.getName(),
          String.join(", ", service.plugins.keySet()));
      return false;
    }
    PluginInstance instance;
    try {
      instance = PluginInstance.start(descriptor, cmd.getConfig().toStringUtf8());
    } catch (ConfigException e) {
      service.stats.instanceRejected();
      LOG.log(Level.ERROR, "plugin ''{0}'': rejected config, closing the connection: {1}",
          cmd.getName(), e.getMessage());
      return false;
    }
    Instances.Entry entry = service.instances.add(instance);
    service.stats.instanceStarted();
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

  /**
   * Runs the event's handler on this thread, which reads the connection: the handler's PDK calls
   * write to it and read Kong's replies themselves, with no hand-off to another thread. The
   * server's janitor ends an event that does not move on within the timeout ({@link #timedOut}).
   */
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
    PbEvent event = new PbEvent(io, service.methods, service.eventTimeout, ended -> {
      service.live.remove(ended);
      service.stats.eventTook(ended.ageNanos());
      if (ended.end() == PbEvent.End.TIMED_OUT) {
        service.stats.eventTimedOut(); // counted before Kong hears of it
      }
    });
    service.live.put(event, () -> timedOut(event, instance, phase, done));
    service.stats.eventStarted();
    try {
      runHandler(event, instance, phase);
      event.complete(EMPTY, done);
      return switch (event.end()) {
        case COMPLETED -> {
          service.stats.eventCompleted();
          yield true;
        }
        case EXITED -> exited();
        case CONNECTION_LOST -> false;
        case TIMED_OUT -> {
          // The janitor answered Kong and gave the connection to a new reader, or closed it:
          // this thread no longer touches it.
          handedOver = true;
          yield false;
        }
      };
    } finally {
      event.endWith(PbEvent.End.CONNECTION_LOST, "the connection is closing");
      Thread.interrupted(); // an interrupt meant for this event must not reach the next read
    }
  }

  private void runHandler(PbEvent event, PluginInstance instance, Phase phase) {
    try {
      Kong kong = Kong.over(event);
      Throwable failure = instance.run(phase, kong);
      if (failure != null) {
        service.stats.eventFailed();
        instance.reportFailure(phase, kong, failure);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "plugin ''" + instance.descriptor().name() + "'': reporting a failure"
          + " failed inside the server", e);
    }
  }

  /**
   * After {@code kong.response.exit} Kong never reads this connection again and closes it when the
   * request ends: nothing more is written, and the next read sees that close.
   */
  private boolean exited() {
    service.stats.eventExited();
    return true;
  }

  /**
   * Run by the server's janitor when {@code event} has not moved on within the timeout: tells Kong
   * (a 500 when the phase fails closed, otherwise the event's end), gives the connection to a new
   * reader and interrupts the handler; when the handler is inside a PDK call waiting for Kong,
   * closes the connection instead, which also ends that call.
   */
  private void timedOut(PbEvent event, PluginInstance instance, Phase phase, byte[] done) {
    String plugin = instance.descriptor().name();
    long ms = service.eventTimeout.toMillis();
    byte[][] frames = instance.failsClosedIn(phase)
        ? exitWith500()
        : new byte[][] {EMPTY, done};
    PbEvent.Ending ending;
    try {
      ending = event.endWith(PbEvent.End.TIMED_OUT,
          "plugin '" + plugin + "' did not finish or call Kong within " + ms + " ms", frames);
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "connection failed while ending a timed-out event: " + e.getMessage());
      ending = PbEvent.Ending.HANDLER_IN_CALL;
    }
    switch (ending) {
      case WROTE -> {
        LOG.log(Level.ERROR, event.endReason());
        service.serveElsewhere(io);
        event.interruptHandler();
      }
      case HANDLER_IN_CALL -> {
        LOG.log(Level.ERROR, "Kong did not answer a PDK call of plugin ''{0}'' within {1} ms;"
            + " closing the connection", plugin, ms);
        closeQuietly();
      }
      case ALREADY_ENDED -> { }
    }
  }

  private void closeQuietly() {
    try {
      io.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing a connection: " + e.getMessage());
    }
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
