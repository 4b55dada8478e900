package dev.kongpdk.metrics;

import dev.kongpdk.bridge.ServerObserver;
import dev.kongpdk.bridge.ServerObserverFactory;
import dev.kongpdk.metrics.internal.HostPort;
import dev.kongpdk.metrics.internal.MicrometerPluginMetrics;
import dev.kongpdk.metrics.internal.PrometheusEndpoint;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.statsd.StatsdConfig;
import io.micrometer.statsd.StatsdFlavor;
import io.micrometer.statsd.StatsdMeterRegistry;
import io.micrometer.statsd.StatsdProtocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Creates the server's {@link MeterObserver} from the command line's {@code --metrics-*} options
 * (registered for {@link java.util.ServiceLoader}):
 *
 * <ul>
 *   <li>{@code --metrics-prometheus [HOST:]PORT}: serve {@code /metrics} in the Prometheus text
 *       format (HOST {@code 127.0.0.1} unless given);
 *   <li>{@code --metrics-statsd [HOST:]PORT}: push the same meters to a StatsD agent over UDP;
 *   <li>{@code --metrics-statsd-flavor NAME}: {@code datadog} (default), {@code telegraf}, {@code
 *       etsy} or {@code sysdig};
 *   <li>{@code --metrics-step SECS}: how often StatsD gauges and timers' maxima are pushed (default
 *       10).
 * </ul>
 */
public final class MetricsObserverFactory implements ServerObserverFactory {

  /**
   * Event durations and the plugins' own timers get these Prometheus histogram buckets: a plugin
   * event usually takes a few PDK round trips (tens of microseconds each) plus whatever the plugin
   * calls, and Kong gives up after the event timeout (60 s by default).
   */
  static final Duration[] BUCKETS = {
      Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000),
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
      Duration.ofSeconds(60)};

  private static final List<String> OPTIONS =
      List.of("prometheus", "statsd", "statsd-flavor", "step");

  /** Creates the factory; {@link java.util.ServiceLoader} calls it. */
  public MetricsObserverFactory() {}

  @Override
  public String module() {
    return "dev.kongpdk:pdk-metrics";
  }

  @Override
  public ServerObserver create(Map<String, String> options) {
    for (String key : options.keySet()) {
      if (!OPTIONS.contains(key)) {
        throw new IllegalArgumentException("unknown option '--metrics-" + key + "'; the metrics"
            + " options are --metrics-prometheus, --metrics-statsd, --metrics-statsd-flavor and"
            + " --metrics-step");
      }
    }
    HostPort prometheusAddress = address(options, "prometheus");
    HostPort statsdAddress = address(options, "statsd");
    for (String statsdOnly : List.of("statsd-flavor", "step")) {
      if (options.containsKey(statsdOnly) && statsdAddress == null) {
        throw new IllegalArgumentException("--metrics-" + statsdOnly + " applies to StatsD: it needs"
            + " --metrics-statsd [HOST:]PORT");
      }
    }
    if (prometheusAddress == null && statsdAddress == null) {
      throw new IllegalArgumentException("no metrics endpoint: give --metrics-prometheus [HOST:]PORT"
          + " or --metrics-statsd [HOST:]PORT");
    }
    StatsdFlavor flavor = flavor(options.get("statsd-flavor"));
    Duration step = step(options.get("step"));

    CompositeMeterRegistry registry = new CompositeMeterRegistry();
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      if (prometheusAddress != null) {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        prometheus.config().meterFilter(histogramBuckets());
        registry.add(prometheus);
        resources.add(prometheus::close);
        resources.add(PrometheusEndpoint.start(prometheus, prometheusAddress));
      }
      if (statsdAddress != null) {
        StatsdMeterRegistry statsd = new StatsdMeterRegistry(
            statsdConfig(statsdAddress, flavor, step), Clock.SYSTEM);
        registry.add(statsd);
        resources.add(statsd::close);
      }
    } catch (RuntimeException e) {
      closeAll(resources);
      throw e;
    }
    // Close what publishes last: the endpoint first (added after its registry), then the registries.
    return new MeterObserver(registry, () -> closeAll(resources.reversed()));
  }

  /** Prometheus histogram buckets for the event durations and the plugins' own timers. */
  static MeterFilter histogramBuckets() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        boolean wanted = id.getType() == Meter.Type.TIMER
            && (id.getName().equals("kong.pdk.event.duration")
                || id.getName().startsWith(MicrometerPluginMetrics.PREFIX));
        return wanted
            ? DistributionStatisticConfig.builder().serviceLevelObjectives(nanos(BUCKETS)).build()
                .merge(config)
            : config;
      }
    };
  }

  private static double[] nanos(Duration[] durations) {
    double[] nanos = new double[durations.length];
    for (int i = 0; i < durations.length; i++) {
      nanos[i] = durations[i].toNanos();
    }
    return nanos;
  }

  private static StatsdConfig statsdConfig(HostPort address, StatsdFlavor flavor, Duration step) {
    return new StatsdConfig() {
      @Override
      public String get(String key) {
        return null; // everything not set here keeps Micrometer's default
      }

      @Override
      public StatsdFlavor flavor() {
        return flavor;
      }

      @Override
      public String host() {
        return address.host();
      }

      @Override
      public int port() {
        return address.port();
      }

      @Override
      public StatsdProtocol protocol() {
        return StatsdProtocol.UDP;
      }

      @Override
      public Duration pollingFrequency() {
        return step;
      }

      @Override
      public Duration step() {
        return step;
      }
    };
  }

  private static HostPort address(Map<String, String> options, String key) {
    String value = options.get(key);
    return value == null ? null : HostPort.parse("--metrics-" + key, value);
  }

  private static StatsdFlavor flavor(String name) {
    if (name == null) {
      return StatsdFlavor.DATADOG;
    }
    try {
      return StatsdFlavor.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--metrics-statsd-flavor must be datadog, telegraf, etsy"
          + " or sysdig; got '" + name + "'");
    }
  }

  private static Duration step(String seconds) {
    if (seconds == null) {
      return Duration.ofSeconds(10);
    }
    try {
      long value = Long.parseLong(seconds);
      if (value > 0) {
        return Duration.ofSeconds(value);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException("--metrics-step needs a positive number of seconds, got '"
        + seconds + "'");
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        System.getLogger(MetricsObserverFactory.class.getName())
            .log(System.Logger.Level.DEBUG, "closing a metrics publisher: " + e.getMessage());
      }
    }
  }
}
