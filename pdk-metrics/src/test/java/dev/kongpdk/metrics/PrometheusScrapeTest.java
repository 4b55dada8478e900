package dev.kongpdk.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.testkit.gateway.KongClient;
import dev.kongpdk.testkit.gateway.KongClient.EventOutcome;
import dev.kongpdk.testkit.gateway.RpcErrorException;
import dev.kongpdk.testkit.gateway.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real plugin server process started with {@code --metrics-prometheus}: events of every outcome
 * driven over its socket the way Kong drives them, then {@code /metrics} scraped over HTTP.
 */
@Timeout(60)
class PrometheusScrapeTest {

  private static final Pattern ENDPOINT = Pattern.compile("serving Prometheus metrics on (http://\\S+/metrics)");
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static ServerProcess start(Path dir, String... metricsArgs) {
    Path socket = dir.resolve("outcomes.socket");
    List<String> args = new java.util.ArrayList<>(List.of("--socket", socket.toString(),
        "--event-timeout", "1"));
    args.addAll(List.of(metricsArgs));
    return ServerProcess.start(
        ServerProcess.javaCommand(System.getProperty("java.class.path"), args.toArray(String[]::new)),
        socket, Duration.ofSeconds(30));
  }

  /** Answers the PDK calls of an event for a request whose {@code x-outcome} is {@code outcome}. */
  static Object answer(String outcome, String method) {
    return switch (method) {
      case "kong.request.get_header" -> outcome;
      default -> null; // set_header, log.err: nothing to return
    };
  }

  @Test
  void aScrapeAfterEventsOfEachOutcomeShowsEveryCounterWithItsLabels() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "metrics");
    try (ServerProcess server = start(dir, "--metrics-prometheus", "127.0.0.1:0")) {
      Matcher endpoint = ENDPOINT.matcher(server.output());
      assertTrue(endpoint.find(), server.output());
      URI metrics = URI.create(endpoint.group(1));

      try (KongClient kong = KongClient.connect(server.socket(), KongClient.Options.defaults())) {
        long id = kong.startInstance("outcomes", "{}");
        assertThrows(RpcErrorException.class, () -> kong.startInstance("not-served", "{}"));
        assertThrows(RpcErrorException.class,
            () -> kong.call("plugin.StartInstance", Map.of("Name", "outcomes", "Config", 5L)));

        for (String outcome : List.of("complete", "complete", "exit", "fail", "hang")) {
          EventOutcome end = kong.handleEvent(id, "access", (method, args) -> answer(outcome, method));
          assertEquals(outcome.equals("complete") ? Optional.empty() : Optional.of("kong.response.exit"),
              end.terminalMethod(), outcome);
        }
        kong.handleEvent(id, "log", (method, args) -> null);
        sendGarbage(server.socket());

        Samples s = Samples.parse(scrape(metrics));
        String[] access = {"plugin", "outcomes", "phase", "access"};
        assertEquals(5, s.sum("kong_pdk_events_started_total", access));
        assertEquals(1, s.sum("kong_pdk_events_started_total", "plugin", "outcomes", "phase", "log"));
        assertEquals(2, s.sum("kong_pdk_events_ended_total", with(access, "outcome", "completed")));
        assertEquals(2, s.sum("kong_pdk_events_ended_total", with(access, "outcome", "exited")),
            "the exit, and the failure answered 500 (fail closed)");
        assertEquals(1, s.sum("kong_pdk_events_ended_total", with(access, "outcome", "timed_out")));
        assertEquals(1, s.sum("kong_pdk_events_ended_total", "phase", "log", "outcome", "completed"));
        assertEquals(1, s.sum("kong_pdk_events_failed_total", access));
        assertEquals(0, s.sum("kong_pdk_events_shed_total", access));
        assertEquals(5, s.sum("kong_pdk_event_duration_seconds_count", access));
        assertEquals(5, s.sum("kong_pdk_event_duration_seconds_bucket", with(access, "le", "+Inf")));
        assertTrue(s.sum("kong_pdk_event_duration_seconds_bucket", with(access, "le", "60.0")) == 5,
            "every event, the timed out one too, took less than a minute");
        assertTrue(s.sum("kong_pdk_event_duration_seconds_sum", access) >= 1.0,
            "the hanging event lasted the one-second timeout");

        assertEquals(5, s.sum("kong_pdk_calls_seconds_count", with(access, "method", "kong.request.get_header")));
        assertEquals(2, s.sum("kong_pdk_calls_seconds_count", with(access, "method", "kong.response.set_header")));
        assertEquals(1, s.sum("kong_pdk_calls_seconds_count", with(access, "method", "kong.log.err")));
        assertTrue(s.matching("kong_pdk_calls_seconds_count", "method", "kong.response.exit").isEmpty(),
            "Kong never answers an exit: it is no round trip");

        assertEquals(1, s.sum("kong_pdk_instances_started_total", "plugin", "outcomes"));
        assertEquals(1, s.sum("kong_pdk_instances_rejected_total", "plugin", "outcomes"));
        assertEquals(1, s.sum("kong_pdk_instances_rejected_total", "plugin", "unknown"));
        assertEquals(1, s.sum("kong_pdk_instances"));
        assertEquals(2, s.sum("kong_pdk_rpc_errors_total"));
        assertEquals(1, s.sum("kong_pdk_malformed_messages_total"));
        assertEquals(0, s.sum("kong_pdk_peers_rejected_total"));
        assertEquals(0, s.sum("kong_pdk_events_in_flight"));
        assertTrue(s.sum("kong_pdk_connections_open") >= 1, "the client's pooled connection is open");

        assertEquals(5, s.sum("kong_plugin_requests_seen_total", "plugin", "outcomes"));
        assertEquals(2, s.sum("kong_plugin_lookup_latency_seconds_count",
            "plugin", "outcomes", "backend", "memory"));
        assertEquals(2, s.sum("kong_plugin_lookup_latency_seconds_bucket",
            "plugin", "outcomes", "le", "0.005"), "3 ms lookups fall in the 5 ms bucket");

        double started = s.sum("process_start_time_seconds");
        assertTrue(Math.abs(started - ProcessHandle.of(server.pid()).orElseThrow().info().startInstant()
            .orElseThrow().getEpochSecond()) < 5, "the server process's start time");
        assertTrue(s.sum("jvm_memory_used_bytes", "area", "heap") > 0);
        assertTrue(s.sum("jvm_threads_live_threads") > 0);
      }
    } finally {
      Files.deleteIfExists(dir);
    }
  }

  @Test
  void onlyMetricsIsServed() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "metrics");
    try (ServerProcess server = start(dir, "--metrics-prometheus", ":0")) {
      Matcher endpoint = ENDPOINT.matcher(server.output());
      assertTrue(endpoint.find(), server.output());
      assertTrue(endpoint.group(1).startsWith("http://127.0.0.1:"), "the default host: " + endpoint.group(1));
      URI metrics = URI.create(endpoint.group(1));
      HttpResponse<String> other = http.send(HttpRequest.newBuilder(metrics.resolve("/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(404, other.statusCode());
      HttpResponse<String> post = http.send(HttpRequest.newBuilder(metrics)
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(405, post.statusCode());
      HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(metrics).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals("text/plain; version=0.0.4; charset=utf-8",
          scrape.headers().firstValue("content-type").orElseThrow());
      assertFalse(scrape.body().contains("kong_pdk_events_started_total{"), "no event yet, no series");
    } finally {
      Files.deleteIfExists(dir);
    }
  }

  private String scrape(URI metrics) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    return response.body();
  }

  /** Writes a byte MessagePack never uses and waits (at most 10 s) until the server closes the connection. */
  static void sendGarbage(Path socket) throws IOException {
    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        Selector selector = Selector.open()) {
      channel.write(ByteBuffer.wrap(new byte[] {(byte) 0xc1}));
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      ByteBuffer sink = ByteBuffer.allocate(64);
      while (channel.read(sink.clear()) >= 0) {
        long left = deadline - System.nanoTime();
        assertTrue(left > 0, "the server did not close a connection that sent garbage");
        selector.select(Math.max(1, left / 1_000_000));
        selector.selectedKeys().clear();
      }
    }
  }

  static String[] with(String[] labels, String... more) {
    String[] all = java.util.Arrays.copyOf(labels, labels.length + more.length);
    System.arraycopy(more, 0, all, labels.length, more.length);
    return all;
  }
}
