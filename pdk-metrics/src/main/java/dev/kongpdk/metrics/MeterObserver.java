package dev.kongpdk.metrics;

import dev.kongpdk.bridge.PluginServer;
import dev.kongpdk.bridge.ServerObserver;
import dev.kongpdk.metrics.internal.MicrometerPluginMetrics;
import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Publishes what a {@link PluginServer} does on a Micrometer {@link MeterRegistry}, per plugin and
 * phase, together with the JVM's memory, GC, threads and the process start time. The command
 * line's {@code --metrics-*} options create one through {@link MetricsObserverFactory}; an
 * application that embeds the server can pass its own registry:
 *
 * <pre>{@code
 * PluginServer.builder().plugin(descriptor).socket(path).observer(new MeterObserver(registry)).start();
 * }</pre>
 *
 * <p>The meters (Prometheus names; StatsD uses the dotted names with the same tags) are listed in
 * {@code docs/metrics.md}. Meters of a plugin and phase are created when they are first used, and
 * kept; a count costs a map lookup and an atomic add.
 */
public final class MeterObserver implements ServerObserver {

  /** How an unknown plugin name (Kong asked for a plugin this server does not serve) is tagged. */
  static final String UNKNOWN_PLUGIN = "unknown";

  private final MeterRegistry registry;
  private final List<MeterBinder> jvm;
  private final Map<String, AtomicReferenceArray<EventMeters>> events = new ConcurrentHashMap<>();
  private final Map<String, PluginMeters> plugins = new ConcurrentHashMap<>();
  private final Map<String, Counter> refusedConnections = new ConcurrentHashMap<>();
  private final Counter malformed;
  private final Counter rpcErrors;
  private final Counter peersRejected;
  private final Counter acceptFailures;
  private final Runnable onClose;

  /**
   * Publishes on {@code registry}, and binds the JVM meters to it.
   *
   * @param registry where the meters go
   */
  public MeterObserver(MeterRegistry registry) {
    this(registry, () -> {});
  }

  MeterObserver(MeterRegistry registry, Runnable onClose) {
    this.registry = registry;
    this.onClose = onClose;
    this.jvm = List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(),
        new ClassLoaderMetrics(), new ProcessorMetrics(), new UptimeMetrics());
    jvm.forEach(binder -> binder.bindTo(registry));
    this.malformed = Counter.builder("kong.pdk.malformed.messages")
        .description("Messages from Kong that could not be decoded; each closed its connection")
        .register(registry);
    this.rpcErrors = Counter.builder("kong.pdk.rpc.errors")
        .description("Requests from Kong answered with an RPC error")
        .register(registry);
    this.peersRejected = Counter.builder("kong.pdk.peers.rejected")
        .description("Connections refused because the peer is not the allowed user")
        .register(registry);
    this.acceptFailures = Counter.builder("kong.pdk.accept.failures")
        .description("Connections that could not be accepted or set up (out of file descriptors)")
        .register(registry);
  }

  /** Returns the registry the meters are published on. */
  public MeterRegistry registry() {
    return registry;
  }

  @Override
  public void serverStarted(PluginServer server) {
    Gauge.builder("kong.pdk.events.in.flight", server, PluginServer::eventsInFlight)
        .description("Events started and not yet ended").register(registry);
    Gauge.builder("kong.pdk.connections.open", server, PluginServer::connectionCount)
        .description("Connections from Kong being served").register(registry);
    Gauge.builder("kong.pdk.instances", server, PluginServer::instanceCount)
        .description("Plugin instances Kong has started and not closed").register(registry);
  }

  @Override
  public void eventStarted(String plugin, Phase phase) {
    meters(plugin, phase).started.increment();
  }

  @Override
  public void eventEnded(String plugin, Phase phase, EventEnd end, long nanos) {
    EventMeters meters = meters(plugin, phase);
    meters.ended[end.ordinal()].increment();
    meters.duration.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void eventFailed(String plugin, Phase phase) {
    meters(plugin, phase).failed.increment();
  }

  @Override
  public void eventShed(String plugin, Phase phase) {
    meters(plugin, phase).shed.increment();
  }

  @Override
  public void eventLost(String plugin, Phase phase) {
    meters(plugin, phase).lost.increment();
  }

  @Override
  public void pdkCall(String plugin, Phase phase, String method, long nanos) {
    meters(plugin, phase).call(method).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void instanceStarted(String plugin) {
    plugin(plugin).started.increment();
  }

  @Override
  public void instanceRejected(String plugin) {
    plugin(plugin == null ? UNKNOWN_PLUGIN : plugin).rejected.increment();
  }

  @Override
  public void instancesExpired(String plugin, int count) {
    plugin(plugin).expired.increment(count);
  }

  @Override
  public void malformedMessage() {
    malformed.increment();
  }

  @Override
  public void rpcError() {
    rpcErrors.increment();
  }

  @Override
  public void peerRejected() {
    peersRejected.increment();
  }

  @Override
  public void connectionRefused(String reason) {
    refusedConnections.computeIfAbsent(reason, r -> Counter.builder("kong.pdk.connections.refused")
        .description("Connections from Kong refused or closed because the server is over a limit")
        .tag("reason", r)
        .register(registry)).increment();
  }

  @Override
  public void configOverLimit(String plugin) {
    plugin(plugin).configsOverLimit.increment();
  }

  @Override
  public void acceptFailed() {
    acceptFailures.increment();
  }

  @Override
  public PluginMetrics pluginMetrics(String plugin) {
    return new MicrometerPluginMetrics(registry, plugin);
  }

  /** Unbinds the JVM meters; the registry itself belongs to whoever created it. */
  @Override
  public void close() {
    for (MeterBinder binder : jvm) {
      if (binder instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          // a binder that cannot stop its listener leaves nothing the process depends on
        }
      }
    }
    onClose.run();
  }

  // ---- meters by plugin and phase --------------------------------------------------------------

  private EventMeters meters(String plugin, Phase phase) {
    AtomicReferenceArray<EventMeters> byPhase =
        events.computeIfAbsent(plugin, p -> new AtomicReferenceArray<>(Phase.values().length));
    EventMeters meters = byPhase.get(phase.ordinal());
    if (meters == null) {
      byPhase.compareAndSet(phase.ordinal(), null, new EventMeters(registry, plugin, phase));
      meters = byPhase.get(phase.ordinal());
    }
    return meters;
  }

  private PluginMeters plugin(String plugin) {
    return plugins.computeIfAbsent(plugin, p -> new PluginMeters(registry, p));
  }

  /** The meters of one plugin's events in one phase. */
  private static final class EventMeters {
    final Counter started;
    final Counter failed;
    final Counter shed;
    final Counter lost;
    final Counter[] ended = new Counter[EventEnd.values().length];
    final Timer duration;
    private final MeterRegistry registry;
    private final Tags tags;
    private final Map<String, Timer> calls = new ConcurrentHashMap<>();

    EventMeters(MeterRegistry registry, String plugin, Phase phase) {
      this.registry = registry;
      this.tags = Tags.of("plugin", plugin, "phase", phase.luaName());
      started = Counter.builder("kong.pdk.events.started").tags(tags)
          .description("Events Kong started (plugin.HandleEvent)").register(registry);
      failed = Counter.builder("kong.pdk.events.failed").tags(tags)
          .description("Events whose handler threw (they also end, as exited when failing closed)")
          .register(registry);
      shed = Counter.builder("kong.pdk.events.shed").tags(tags)
          .description("Events answered with the plugin's failure policy without running, because"
              + " the server was over its limits (events in flight, connections)")
          .register(registry);
      lost = Counter.builder("kong.pdk.events.lost").tags(tags)
          .description("Events whose connection Kong closed while the handler still ran")
          .register(registry);
      for (EventEnd end : EventEnd.values()) {
        ended[end.ordinal()] = Counter.builder("kong.pdk.events.ended").tags(tags)
            .tag("outcome", end.name().toLowerCase(java.util.Locale.ROOT))
            .description("Events that ended, by outcome: completed, exited (kong.response.exit),"
                + " timed_out")
            .register(registry);
      }
      duration = Timer.builder("kong.pdk.event.duration").tags(tags)
          .description("Time from plugin.HandleEvent to the event's end, PDK round trips included")
          .register(registry);
    }

    Timer call(String method) {
      Timer timer = calls.get(method);
      return timer != null ? timer : calls.computeIfAbsent(method, m -> Timer.builder("kong.pdk.calls")
          .tags(tags).tag("method", m)
          .description("PDK calls and their round trip to Kong, from sending the call to the answer")
          .register(registry));
    }
  }

  /** The instance meters of one plugin. */
  private static final class PluginMeters {
    final Counter started;
    final Counter rejected;
    final Counter expired;
    final Counter configsOverLimit;

    PluginMeters(MeterRegistry registry, String plugin) {
      started = Counter.builder("kong.pdk.instances.started").tag("plugin", plugin)
          .description("Plugin instances Kong started (plugin.StartInstance)").register(registry);
      rejected = Counter.builder("kong.pdk.instances.rejected").tag("plugin", plugin)
          .description("plugin.StartInstance refused: bad config, or a plugin not served here")
          .register(registry);
      expired = Counter.builder("kong.pdk.instances.expired").tag("plugin", plugin)
          .description("Instances removed because Kong had not used them for the idle timeout")
          .register(registry);
      configsOverLimit = Counter.builder("kong.pdk.configs.over.limit").tag("plugin", plugin)
          .description("plugin.StartInstance refused because the config is over the size limits")
          .register(registry);
    }
  }
}
