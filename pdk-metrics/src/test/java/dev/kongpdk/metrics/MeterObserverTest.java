package dev.kongpdk.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.bridge.ServerObserver;
import dev.kongpdk.metrics.internal.HostPort;
import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The observer's meters for the hooks other server code calls, and the options' checks. */
class MeterObserverTest {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MeterObserver observer = new MeterObserver(registry);

  @org.junit.jupiter.api.AfterEach
  void close() {
    observer.close();
    registry.close();
  }

  private Samples scrape() {
    return Samples.parse(registry.scrape());
  }

  @Test
  void shedAndLostEventsRefusedConnectionsAndExpiredInstancesAreCountedWithTheirLabels() {
    observer.eventShed("p", Phase.ACCESS);
    observer.eventShed("p", Phase.ACCESS);
    observer.eventShed("p", Phase.LOG);
    observer.connectionRefused("connection_cap");
    observer.connectionRefused("memory_budget");
    observer.connectionRefused("memory_budget");
    observer.instancesExpired("p", 3);
    observer.peerRejected();
    observer.connectionRefused("read_deadline");
    observer.eventLost("p", Phase.ACCESS);
    observer.configOverLimit("p");
    observer.acceptFailed();
    observer.acceptFailed();

    Samples s = scrape();
    assertEquals(2, s.sum("kong_pdk_events_shed_total", "plugin", "p", "phase", "access"));
    assertEquals(1, s.sum("kong_pdk_events_shed_total", "plugin", "p", "phase", "log"));
    assertEquals(1, s.sum("kong_pdk_connections_refused_total", "reason", "connection_cap"));
    assertEquals(2, s.sum("kong_pdk_connections_refused_total", "reason", "memory_budget"));
    assertEquals(3, s.sum("kong_pdk_instances_expired_total", "plugin", "p"));
    assertEquals(1, s.sum("kong_pdk_peers_rejected_total"));
    assertEquals(1, s.sum("kong_pdk_connections_refused_total", "reason", "read_deadline"));
    assertEquals(1, s.sum("kong_pdk_events_lost_total", "plugin", "p", "phase", "access"));
    assertEquals(1, s.sum("kong_pdk_configs_over_limit_total", "plugin", "p"));
    assertEquals(2, s.sum("kong_pdk_accept_failures_total"));
    assertEquals(0, s.sum("kong_pdk_events_started_total"), "shed events never started");
  }

  @Test
  void eventEndsAreCountedByOutcomeAndTimed() {
    observer.eventStarted("p", Phase.REWRITE);
    observer.eventEnded("p", Phase.REWRITE, ServerObserver.EventEnd.TIMED_OUT, 2_000_000_000L);
    observer.pdkCall("p", Phase.REWRITE, "kong.request.get_path", 40_000);

    Samples s = scrape();
    assertEquals(1, s.sum("kong_pdk_events_ended_total", "phase", "rewrite", "outcome", "timed_out"));
    assertEquals(0, s.sum("kong_pdk_events_ended_total", "phase", "rewrite", "outcome", "completed"));
    assertEquals(2.0, s.sum("kong_pdk_event_duration_seconds_sum", "phase", "rewrite"), 1e-9);
    assertEquals(4e-5, s.sum("kong_pdk_calls_seconds_sum", "method", "kong.request.get_path"), 1e-12);
  }

  @Test
  void pluginMetersAreNamespacedAndTaggedWithThePlugin() {
    PluginMetrics metrics = observer.pluginMetrics("auth-router");
    metrics.counter("cache.hits").increment();
    metrics.counter("cache.hits").increment(2);
    metrics.counter("denials", "reason", "expired").increment();
    assertThrows(IllegalArgumentException.class, () -> metrics.counter("Cache-Hits"));
    assertThrows(IllegalArgumentException.class, () -> metrics.counter("hits", "plugin", "other"));
    assertThrows(IllegalArgumentException.class, () -> metrics.counter("hits").increment(-1));

    Samples s = scrape();
    assertEquals(3, s.sum("kong_plugin_cache_hits_total", "plugin", "auth-router"));
    assertEquals(1, s.sum("kong_plugin_denials_total", "plugin", "auth-router", "reason", "expired"));
  }

  @Test
  void optionsAreCheckedWithMessagesThatNameTheOption() {
    MetricsObserverFactory factory = new MetricsObserverFactory();
    assertEquals("dev.kongpdk:pdk-metrics", factory.module());
    assertTrue(message(factory, Map.of("prometheus", "127.0.0.1:99999")).contains("--metrics-prometheus"));
    assertTrue(message(factory, Map.of("promethus", ":9542")).contains("unknown option '--metrics-promethus'"));
    assertTrue(message(factory, Map.of("statsd", "x:8125", "statsd-flavor", "graphite"))
        .contains("datadog, telegraf"));
    assertTrue(message(factory, Map.of("prometheus", ":0", "statsd-flavor", "datadog"))
        .startsWith("--metrics-statsd-flavor applies to StatsD: it needs --metrics-statsd"));
    assertTrue(message(factory, Map.of("step", "5")).startsWith("--metrics-step applies to StatsD"));
    assertTrue(message(factory, Map.of("statsd", ":8125", "step", "0")).contains("--metrics-step"));
    assertTrue(message(factory, Map.of()).startsWith("no metrics endpoint"));
    assertTrue(message(factory, Map.of("prometheus", "::1:9542")).contains("brackets"));
  }

  @Test
  void addressesDefaultToTheLoopbackHost() {
    assertEquals(new HostPort("127.0.0.1", 9542), HostPort.parse("o", "9542"));
    assertEquals(new HostPort("127.0.0.1", 9542), HostPort.parse("o", ":9542"));
    assertEquals(new HostPort("0.0.0.0", 9542), HostPort.parse("o", "0.0.0.0:9542"));
    assertEquals(new HostPort("::1", 9542), HostPort.parse("o", "[::1]:9542"));
    assertEquals("[::1]:9542", HostPort.parse("o", "[::1]:9542").toString());
  }

  @Test
  void aPortInUseIsAClearError() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new MetricsObserverFactory()
          .create(Map.of("prometheus", "127.0.0.1:" + taken.getLocalPort())));
      assertTrue(e.getMessage().startsWith("cannot serve Prometheus metrics on 127.0.0.1:" + taken.getLocalPort()),
          e.getMessage());
    }
  }

  private static String message(MetricsObserverFactory factory, Map<String, String> options) {
    return assertThrows(IllegalArgumentException.class, () -> factory.create(options)).getMessage();
  }
}
