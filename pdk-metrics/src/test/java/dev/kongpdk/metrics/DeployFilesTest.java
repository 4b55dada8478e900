package dev.kongpdk.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kongpdk.bridge.PluginServer;
import dev.kongpdk.bridge.ServerObserver.EventEnd;
import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginDescriptor;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The alert rules and the dashboard under {@code deploy/} are well-formed and reference only the
 * metrics a server publishes, as one scrape of a running server shows them.
 */
@Timeout(30)
class DeployFilesTest {

  private static final Path ROOT = Path.of("..");
  /** What Kong's own Prometheus plugin publishes that the rules use (3.x name). */
  private static final Set<String> KONGS_OWN = Set.of("kong_http_requests_total");
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![A-Za-z0-9_:$])[A-Za-z_:][A-Za-z0-9_:]*");
  private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

  private static Set<String> published;

  /** Every sample name of a server that has seen every kind of count once. */
  @BeforeAll
  static void scrapeAServerThatSawEverything() throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(MetricsObserverFactory.histogramBuckets());
    MeterObserver observer = new MeterObserver(registry);
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "names");
    try (PluginServer server = PluginServer.builder()
        .plugin(PluginDescriptor.of(OutcomesPlugin.class))
        .socket(dir.resolve("outcomes.socket"))
        .observer(observer)
        .start()) {
      observer.eventStarted("p", Phase.ACCESS);
      for (EventEnd end : EventEnd.values()) {
        observer.eventEnded("p", Phase.ACCESS, end, 1_000_000);
      }
      observer.eventFailed("p", Phase.ACCESS);
      observer.eventShed("p", Phase.ACCESS);
      observer.pdkCall("p", Phase.ACCESS, "kong.request.get_header", 50_000);
      observer.instanceStarted("p");
      observer.instanceRejected(null);
      observer.instancesExpired("p", 1);
      observer.malformedMessage();
      observer.rpcError();
      observer.peerRejected();
      observer.connectionRefused("connection_cap");
      observer.eventLost("p", Phase.ACCESS);
      observer.configOverLimit("p");
      observer.acceptFailed();
      observer.pluginMetrics("p").counter("cache.hits").increment();
      published = Samples.parse(registry.scrape()).names();
    } finally {
      Files.deleteIfExists(dir);
    }
  }

  @Test
  void theAlertRulesParseAndUseOnlyPublishedMetrics() throws IOException {
    JsonNode rules = new ObjectMapper(new YAMLFactory())
        .readTree(ROOT.resolve("deploy/prometheus/kong-pdk-alerts.yaml").toFile());
    List<String> alerts = new ArrayList<>();
    for (JsonNode group : rules.required("groups")) {
      assertFalse(group.required("name").asText().isBlank());
      for (JsonNode rule : group.required("rules")) {
        String alert = rule.required("alert").asText();
        alerts.add(alert);
        String expr = rule.required("expr").asText();
        checkExpression(alert, expr);
        assertTrue(rule.required("for").asText().matches("\\d+[smh]"), alert + ": for");
        assertTrue(Set.of("warning", "critical").contains(rule.required("labels").required("severity").asText()),
            alert + ": severity");
        assertFalse(rule.required("annotations").required("summary").asText().isBlank(), alert);
        assertFalse(rule.required("annotations").required("description").asText().isBlank(), alert);
      }
    }
    assertTrue(alerts.containsAll(List.of("KongPluginFailing", "KongPluginTimeouts", "KongPluginShedding",
        "KongPluginServerRestarted", "KongPluginNoEvents")), alerts.toString());
    assertEquals(alerts.size(), Set.copyOf(alerts).size(), "alert names are unique");

    String docs = Files.readString(ROOT.resolve("docs/metrics.md"));
    for (String alert : alerts) {
      assertTrue(docs.contains("### " + alert), "docs/metrics.md explains " + alert);
    }
  }

  @Test
  void theDashboardIsJsonAndItsQueriesUseOnlyPublishedMetrics() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(ROOT.resolve("deploy/grafana/kong-pdk-dashboard.json").toFile());
    assertFalse(dashboard.required("title").asText().isBlank());
    int queries = 0;
    for (JsonNode panel : dashboard.required("panels")) {
      String title = panel.required("title").asText();
      assertTrue(panel.required("targets").size() > 0, title);
      for (JsonNode target : panel.required("targets")) {
        checkExpression(title, target.required("expr").asText());
        queries++;
      }
    }
    for (JsonNode variable : dashboard.required("templating").required("list")) {
      checkExpression("variable " + variable.required("name").asText(),
          variable.required("query").required("query").asText());
    }
    assertTrue(queries >= 10, "the dashboard covers the server's meters: " + queries + " queries");
  }

  @Test
  void theMetricsPageNamesOnlyPublishedMetrics() throws IOException {
    String docs = Files.readString(ROOT.resolve("docs/metrics.md"));
    Matcher m = Pattern.compile("`((?:kong_pdk|process|jvm|system)_[a-z_]+)`").matcher(docs);
    int names = 0;
    while (m.find()) {
      String name = m.group(1);
      // a histogram or timer is published as NAME_count, NAME_sum, ...
      assertTrue(published.stream().anyMatch(p -> p.equals(name) || p.startsWith(name + "_")),
          "docs/metrics.md names " + name + ", which is not published: " + published);
      names++;
    }
    assertTrue(names >= 18, "the page's table of meters: " + names);
  }

  @Test
  void aMisspelledMetricIsCaught() {
    assertThrowsAssertion(() -> checkExpression("test", "rate(kong_pdk_events_faild_total[5m]) > 0"));
    assertThrowsAssertion(() -> checkExpression("test", "jvm_heap_used > 0"));
    checkExpression("test", "rate(kong_pdk_events_failed_total{phase=\"kong_pdk_not_checked\"}[5m]) > 0");
  }

  private static void assertThrowsAssertion(Runnable check) {
    org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, check::run);
  }

  /** Each metric-like identifier outside string literals is published (or Kong's own). */
  private static void checkExpression(String where, String expr) {
    String code = QUOTED.matcher(expr).replaceAll("\"\"");
    assertEquals(count(code, '('), count(code, ')'), where + ": parentheses balance in " + expr);
    assertEquals(count(code, '{'), count(code, '}'), where + ": braces balance in " + expr);
    Set<String> metrics = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(code);
    while (m.find()) {
      String name = m.group();
      if (name.startsWith("kong_") || name.startsWith("jvm_") || name.startsWith("process_")) {
        metrics.add(name);
        assertTrue(published.contains(name) || KONGS_OWN.contains(name),
            where + ": " + name + " is not a published metric (published: " + published + ")");
      }
    }
    assertTrue(!metrics.isEmpty() || code.contains("__name__") || code.startsWith("up{"),
        where + ": uses no metric of the server: " + expr);
  }

  private static long count(String text, char c) {
    return text.chars().filter(ch -> ch == c).count();
  }
}
