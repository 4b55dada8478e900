package dev.kongpdk.bridge.internal;

import dev.kongpdk.bridge.ConfigException;
import dev.kongpdk.bridge.PluginInstance;
import dev.kongpdk.bridge.ServerObserver;
import dev.kongpdk.bridge.ServerObserver.EventEnd;
import dev.kongpdk.bridge.internal.event.Event;
import dev.kongpdk.bridge.internal.event.Events;
import dev.kongpdk.bridge.internal.event.Outbound;
import dev.kongpdk.bridge.internal.limits.ConfigLimit;
import dev.kongpdk.bridge.internal.rpc.RpcConnection;
import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginDescriptor;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers the {@code plugin.*} methods of Kong's MessagePack-RPC (§3.4 of the protocol
 * reference): answers the requests that involve no event, turns the others into {@link Action}s
 * for the server, and writes an event's answers.
 */
public final class RpcDispatcher {

  private static final System.Logger LOG = System.getLogger(RpcDispatcher.class.getName());

  private final Map<String, PluginDescriptor> plugins = new LinkedHashMap<>();
  private final Instances instances;
  private final Events events;
  private final ServerStats stats;
  private final HandlerTimeouts timeouts;
  private final EventLimit limit;
  private final ConfigLimit configLimit;

  public RpcDispatcher(
      List<PluginDescriptor> plugins,
      Instances instances,
      Events events,
      ServerStats stats,
      HandlerTimeouts timeouts,
      EventLimit limit,
      ConfigLimit configLimit) {
    plugins.forEach(p -> this.plugins.put(p.name(), p));
    this.instances = instances;
    this.events = events;
    this.stats = stats;
    this.timeouts = timeouts;
    this.limit = limit;
    this.configLimit = configLimit;
  }

  /** What the server does with a request. */
  public sealed interface Action {

    /** Answer Kong with {@code result}. */
    record Reply(Object result) implements Action {}

    /**
     * Start an event of {@code instance} in {@code phase} ({@code plugin.HandleEvent}); it holds
     * a slot of the cap on events in flight, given back by {@link #handlerReturned()}.
     */
    record StartEvent(PluginInstance instance, Phase phase) implements Action {}

    /** Hand Kong's {@code answer} to {@code event}, which waits for it ({@code plugin.Step*}). */
    record Deliver(Event event, Event.Answer answer) implements Action {}
  }

  /**
   * Decides what to do with one request; answers the ones that involve no event at once.
   *
   * @param method the RPC method, for example {@code plugin.HandleEvent}
   * @param param the single element of Kong's params array (or null)
   * @throws RpcError when Kong is to receive an error string instead
   */
  public Action route(String method, Object param) throws RpcError {
    return switch (method) {
      case "plugin.StartInstance" -> new Action.Reply(startInstance(map(method, param)));
      case "plugin.CloseInstance" -> new Action.Reply(closeInstance(param));
      case "plugin.HandleEvent" -> handleEvent(map(method, param));
      case "plugin.Step",
          "plugin.StepMultiMap",
          "plugin.StepCredential",
          "plugin.StepConsumer",
          "plugin.StepRoute",
          "plugin.StepService",
          "plugin.StepMemoryStats" -> step(map(method, param), false);
      case "plugin.StepError" -> step(map(method, param), true);
      case "plugin.GetStatus" -> new Action.Reply(status());
      default -> throw new RpcError("unknown method '" + method + "'");
    };
  }

  /**
   * Creates and registers the event {@code start} asks for, whose first answer is due to request
   * {@code msgid} on {@code conn}.
   */
  public Event newEvent(Action.StartEvent start, RpcConnection conn, long msgid,
      Event.Exchange exchange) {
    long eventId = events.newId();
    Duration handlerTimeout = timeouts.of(start.instance().descriptor(), start.phase());
    Event event = new Event(eventId, start.instance(), start.phase(), handlerTimeout,
        timeouts.eventTimeout(), conn, msgid, exchange, () -> events.remove(eventId));
    events.add(event);
    stats.eventStarted(start.instance().descriptor().name(), start.phase());
    return event;
  }

  /**
   * Starts an instance of {@code descriptor}; a plugin that takes {@code PluginMetrics} gets its
   * meters from {@code observer} (without an observer, no metrics type is even loaded).
   */
  public static PluginInstance startInstance(
      PluginDescriptor descriptor, String configJson, ServerObserver observer) throws ConfigException {
    return observer == ServerObserver.NONE
        ? PluginInstance.start(descriptor, configJson)
        : PluginInstance.start(descriptor, configJson, observer.pluginMetrics(descriptor.name()));
  }

  /** Gives back the slot of an event whose handler has returned (see {@link EventLimit}). */
  public void handlerReturned() {
    limit.release();
  }

  /**
   * Ends the events that have waited past their limits and those whose connection Kong closed
   * while their handler ran, counting and logging each once (run periodically).
   */
  public void expireEvents() {
    long now = System.nanoTime();
    for (Event event : events.all()) {
      switch (event.expire(now)) {
        case NONE, HANDLER_TIMED_OUT -> { } // the latter is counted and logged as it is answered
        case KONG_SILENT -> {
          LOG.log(Level.WARNING, "plugin ''{0}'': Kong did not answer a PDK call of event {1}"
              + " within {2} ms; the event is ended", event.instance().descriptor().name(),
              String.valueOf(event.id()), String.valueOf(timeouts.eventTimeout().toMillis()));
          ended(event, EventEnd.TIMED_OUT); // after the line, so a count seen means it was logged
        }
        case CONNECTION_LOST -> {
          LOG.log(Level.WARNING, "plugin ''{0}'': Kong closed the connection while the {1} phase"
              + " ran (event {2}, after {3} ms); the event is ended",
              event.instance().descriptor().name(), event.phase().luaName(),
              String.valueOf(event.id()), String.valueOf(event.ageNanos() / 1_000_000));
          stats.eventLost(event.instance().descriptor().name(), event.phase());
        }
      }
    }
  }

  private Object startInstance(Map<?, ?> param) throws RpcError {
    String name = string(param, "Name");
    PluginDescriptor descriptor = plugins.get(name);
    if (descriptor == null) {
      stats.instanceRejected(null);
      throw new RpcError("no plugin named '" + name + "' in this server (it serves "
          + String.join(", ", plugins.keySet()) + ")");
    }
    Object config = param.get("Config");
    if (config != null && !(config instanceof String)) {
      stats.instanceRejected(name);
      throw new RpcError("plugin.StartInstance: Config must be JSON text, got " + typeName(config));
    }
    ConfigLimit.Admission admission = configLimit.admit(name, (String) config, instances);
    if (admission.refusal() != null) {
      stats.instanceRejected(name);
      stats.configOverLimit(name);
      configLimit.logRefusal("rejected config: " + admission.refusal());
      throw new RpcError(admission.refusal());
    }
    PluginInstance instance;
    try (admission) {
      instance = startInstance(descriptor, (String) config, stats.observer());
    } catch (ConfigException e) {
      stats.instanceRejected(name);
      LOG.log(Level.WARNING, "plugin ''{0}'': rejected config: {1}", name, e.getMessage());
      throw new RpcError("plugin '" + name + "': invalid config: " + e.getMessage());
    }
    Instances.Entry entry = instances.add(instance);
    stats.instanceStarted(name);
    LOG.log(Level.DEBUG, "plugin ''{0}'': started instance {1}", name, entry.id());
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("Id", (long) entry.id());
    result.put("Name", name);
    result.put("StartTime", entry.startedAt().toEpochMilli() / 1000.0);
    return result;
  }

  private Object closeInstance(Object param) throws RpcError {
    long id = id("plugin.CloseInstance", param);
    Instances.Entry entry =
        instances.remove(id).orElseThrow(() -> new RpcError("no plugin instance " + id));
    return instanceStatus(entry);
  }

  private Action handleEvent(Map<?, ?> param) throws RpcError {
    long instanceId = id("plugin.HandleEvent: InstanceId", param.get("InstanceId"));
    String eventName = string(param, "EventName");
    Instances.Entry entry =
        instances.use(instanceId).orElseThrow(() -> new RpcError("no plugin instance " + instanceId));
    PluginInstance instance = entry.instance();
    Phase phase;
    try {
      phase = Phase.fromLuaName(eventName);
    } catch (IllegalArgumentException e) {
      throw new RpcError("plugin '" + instance.descriptor().name() + "': unknown phase '" + eventName + "'");
    }
    if (!instance.descriptor().phases().contains(phase)) {
      throw new RpcError("plugin '" + instance.descriptor().name() + "' does not implement the "
          + eventName + " phase");
    }
    if (!limit.tryAcquire()) {
      return shed(instance, phase, limit.max() + " events in flight");
    }
    return new Action.StartEvent(instance, phase);
  }

  /**
   * Answers a {@code HandleEvent} the server sheds with the plugin's failure policy, without
   * running it, and counts it: a plugin that fails closed gets the event's first step be {@code
   * kong.response.exit(500)} (an event id nothing else uses; Kong sends nothing more after that
   * call), others an RPC error, which Kong logs before going on without the plugin. Events are shed
   * beyond the cap on events in flight, and on a connection beyond the connection cap.
   *
   * @param why the cap, for the fail-open plugin's error, for example "247 events in flight"
   */
  public Action.Reply shed(PluginInstance instance, Phase phase, String why) throws RpcError {
    String name = instance.descriptor().name();
    stats.eventShed(name, phase);
    if (!instance.failsClosedIn(phase)) {
      throw new RpcError("plugin '" + name + "': the plugin server is overloaded (" + why
          + "); the " + phase.luaName() + " phase was not run");
    }
    Map<String, Object> call = new LinkedHashMap<>();
    call.put("Method", "kong.response.exit");
    call.put("Args", List.of(500L, PluginInstance.UNEXPECTED_ERROR_BODY));
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("EventId", events.newId());
    step.put("Data", call);
    return new Action.Reply(step);
  }

  private Action step(Map<?, ?> param, boolean error) throws RpcError {
    long eventId = id("plugin.Step: EventId", param.get("EventId"));
    // An unknown event (expired, or from before a restart) is reported the way that makes Kong
    // start the plugin afresh and run the event again instead of letting the request through.
    Event event = events.get(eventId).orElseThrow(
        () -> new RpcError("no plugin instance for event " + eventId + " (unknown or ended)"));
    Object data = param.get("Data");
    Event.Answer answer =
        error ? new Event.Answer(null, data == null ? "unknown error" : stringOf(data))
              : new Event.Answer(data, null);
    return new Action.Deliver(event, answer);
  }

  /**
   * Writes what {@code event} does next as the answer to request {@code msgid} on {@code conn}:
   * its PDK call, its end ({@code "ret"}), or its failure (a 500 from {@code kong.response.exit}
   * when the plugin fails closed, an RPC error when it fails open).
   */
  public void reply(Event event, RpcConnection conn, long msgid, Outbound outbound)
      throws IOException {
    switch (outbound) {
      case Outbound.Call call -> {
        if (call.terminal()) {
          ended(event, EventEnd.EXITED);
        }
        conn.replyCall(msgid, event.id(), call.method(), call.args());
      }
      case Outbound.Done done -> {
        ended(event, EventEnd.COMPLETED);
        conn.replyDone(msgid, event.id());
      }
      case Outbound.Failed failed -> {
        ended(event, EventEnd.TIMED_OUT);
        if (event.instance().failsClosedIn(event.phase())) {
          LOG.log(Level.ERROR, failed.message() + "; answered 500 to the client (fail closed)");
          conn.replyCall(msgid, event.id(), "kong.response.exit",
              List.of(500L, PluginInstance.UNEXPECTED_ERROR_BODY));
        } else {
          LOG.log(Level.ERROR, failed.message() + "; Kong was told the error (fail open)");
          stats.rpcError();
          conn.reply(msgid, failed.message(), null);
        }
      }
    }
  }

  private void ended(Event event, EventEnd end) {
    stats.eventEnded(event.instance().descriptor().name(), event.phase(), end, event.ageNanos());
  }

  private Object status() {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("Pid", ProcessHandle.current().pid());
    Map<String, Object> pluginStatus = new LinkedHashMap<>();
    for (PluginDescriptor descriptor : plugins.values()) {
      List<Object> list = new ArrayList<>();
      for (Instances.Entry entry : instances.all()) {
        if (entry.instance().descriptor() == descriptor) {
          list.add(instanceStatus(entry));
        }
      }
      Map<String, Object> plugin = new LinkedHashMap<>();
      plugin.put("Name", descriptor.name());
      plugin.put("Version", descriptor.version());
      plugin.put("Instances", list);
      pluginStatus.put(descriptor.name(), plugin);
    }
    result.put("Plugins", pluginStatus);
    result.put("EventsInFlight", (long) events.size());
    result.put("Counters", stats.snapshot());
    return result;
  }

  private static Map<String, Object> instanceStatus(Instances.Entry entry) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("Id", (long) entry.id());
    status.put("Name", entry.instance().descriptor().name());
    status.put("StartTime", entry.startedAt().toEpochMilli() / 1000.0);
    status.put("LastUsed", entry.lastUsed().toEpochMilli() / 1000.0);
    return status;
  }

  // ---- parameter checks ---------------------------------------------------------------------

  private static Map<?, ?> map(String method, Object param) throws RpcError {
    if (param instanceof Map<?, ?> map) {
      return map;
    }
    throw new RpcError(method + ": expected a map parameter, got " + typeName(param));
  }

  private static String string(Map<?, ?> param, String key) throws RpcError {
    Object value = param.get(key);
    if (value instanceof String s) {
      return s;
    }
    throw new RpcError("expected a string " + key + ", got " + typeName(value));
  }

  private static long id(String what, Object value) throws RpcError {
    if (value instanceof Long l) {
      return l;
    }
    if (value instanceof Double d && d == Math.rint(d)) {
      return d.longValue();
    }
    throw new RpcError(what + ": expected an integer id, got " + typeName(value));
  }

  private static String stringOf(Object value) {
    return value instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(value);
  }

  private static String typeName(Object value) {
    return value == null ? "nothing" : value.getClass().getSimpleName();
  }
}
