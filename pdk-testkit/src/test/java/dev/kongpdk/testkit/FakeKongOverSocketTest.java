package dev.kongpdk.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kongpdk.plugin.Phase;
import dev.kongpdk.testkit.gateway.KongClient;
import dev.kongpdk.testkit.gateway.TraceReplayServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * FakeKong answering a plugin server through the Kong-side client sends exactly what Kong 3.9.3
 * sent for the same request (recorded traces of the hello plugin).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FakeKongOverSocketTest {

  private static final Path TRACES = traces();

  @TempDir
  Path dir;

  private static String recordedConfig(String file) throws IOException {
    String first = Files.readAllLines(TRACES.resolve(file)).stream().filter(l -> l.contains("StartInstance")).findFirst().orElseThrow();
    return new ObjectMapper().readTree(first).at("/msg/3/0/Config").asText();
  }

  @Test
  void fakeKongAnswersTheHelloEventAsKongDid() throws IOException {
    FakeKong kong = FakeKong.builder(TestRequest.get("http://127.0.0.1:18200/hello/a?x=1").header("X-Name", "alice").build()).build();
    try (TraceReplayServer server = new TraceReplayServer(TRACES.resolve("hello-01-hello.jsonl"), dir.resolve("s.sock"), 0);
        KongClient client = KongClient.connect(server.socket(), KongClient.Options.defaults())) {
      long id = client.startInstance("hello", recordedConfig("hello-01-hello.jsonl"));
      kong.beginEvent("hello", Phase.ACCESS);
      client.handleEvent(id, "access", kong::call);
      kong.endEvent();

      assertEquals(List.of(), server.mismatches());
      assertEquals(0, server.requestsLeft());
    }
    kong.proxy(false);
    assertEquals("Hello alice", kong.clientResponse().header("x-hello").orElseThrow());
    assertEquals("from-js alice", kong.upstreamRequest().orElseThrow().header("X-Hello-Upstream").orElseThrow());
    assertEquals("hello plugin: greeted alice mode=hello", kong.logs().get(0).message());
  }

  @Test
  void fakeKongTakesTheExitOfTheDenyEventAsKongDid() throws IOException {
    FakeKong kong = FakeKong.builder(TestRequest.get("http://127.0.0.1:18200/deny").header("X-Name", "mallory").build()).build();
    try (TraceReplayServer server = new TraceReplayServer(TRACES.resolve("hello-02-deny.jsonl"), dir.resolve("s.sock"), 6);
        KongClient client = KongClient.connect(server.socket(), KongClient.Options.defaults())) {
      long id = client.startInstance("hello", recordedConfig("hello-02-deny.jsonl"));
      kong.beginEvent("hello", Phase.ACCESS);
      KongClient.EventOutcome outcome = client.handleEvent(id, "access", kong::call);
      kong.endEvent();

      assertEquals(List.of(), server.mismatches());
      assertEquals(Optional.of("kong.response.exit"), outcome.terminalMethod());
    }
    ClientResponse response = kong.clientResponse();
    assertEquals(403, response.status());
    assertEquals("{\"message\":\"denied by hello plugin\"}", response.bodyText());
    assertEquals("1", response.header("x-hello-denied").orElseThrow());
    assertEquals("Hello mallory", response.header("x-hello").orElseThrow());
  }

  @Test
  void pluginTesterRunsTheSameScenarioOverTheSocket() throws IOException {
    try (TraceReplayServer server = new TraceReplayServer(TRACES.resolve("hello-01-hello.jsonl"), dir.resolve("s.sock"), 0);
        KongClient client = KongClient.connect(server.socket(), KongClient.Options.defaults())) {
      TestResult r = PluginTester.forServedPlugin("hello", 1000, List.of(Phase.ACCESS))
          .config(recordedConfig("hello-01-hello.jsonl"))
          .request(TestRequest.get("http://127.0.0.1:18200/hello/a?x=1").header("X-Name", "alice"))
          .upstream(UpstreamResponse.status(200).body("upstream"))
          .runOver(client);

      assertEquals(List.of(), server.mismatches());
      assertEquals(0, server.requestsLeft());
      assertEquals(1, server.extraCloseInstances(), "the instance is closed after the run");
      assertEquals(200, r.response().status());
      assertEquals("Hello alice", r.response().header("x-hello").orElseThrow());
      assertEquals("upstream", r.response().bodyText());
      assertEquals("from-js alice", r.upstreamRequest().orElseThrow().header("x-hello-upstream").orElseThrow());
      assertEquals(new LogEntry("hello", "access", "notice", "hello plugin: greeted alice mode=hello"), r.logs().get(0));
      assertEquals(4, r.calls().size());
    }
  }

  @Test
  void anInstanceTheServerForgotIsStartedAgainAndTheEventRetriedLikeKongDoes() throws IOException {
    String config = "{\"__key__\":\"k\",\"__seq__\":1,\"__plugin_id\":\"p\",\"__ws_id\":\"w\"}";
    Map<String, Object> start = Map.of("Name", "hello", "Config", config);
    Path trace = TraceReplayServer.script(dir.resolve("restart.jsonl"),
        List.of(0L, 1L, "plugin.StartInstance", List.of(start)), Arrays.asList(1L, 1L, null, Map.of("Id", 2L)),
        List.of(0L, 2L, "plugin.HandleEvent", List.of(Map.of("InstanceId", 2L, "EventName", "access"))),
        Arrays.asList(1L, 2L, "no plugin instance #2", null),
        List.of(0L, 3L, "plugin.StartInstance", List.of(start)), Arrays.asList(1L, 3L, null, Map.of("Id", 0L)),
        List.of(0L, 4L, "plugin.HandleEvent", List.of(Map.of("InstanceId", 0L, "EventName", "access"))),
        Arrays.asList(1L, 4L, null, Map.of("EventId", 7L, "Data", "ret")),
        List.of(0L, 5L, "plugin.CloseInstance", List.of(0L)), Arrays.asList(1L, 5L, null, null));
    try (TraceReplayServer server = new TraceReplayServer(trace, dir.resolve("s.sock"), 0);
        KongClient client = KongClient.connect(server.socket(), KongClient.Options.defaults())) {
      TestResult r = PluginTester.forServedPlugin("hello", 1000, List.of(Phase.ACCESS))
          .config(config)
          .runOver(client);

      assertEquals(List.of(), server.mismatches());
      assertEquals(0, server.requestsLeft());
      assertEquals(200, r.response().status());
    }
  }

  @Test
  void aServedPluginCannotRunInProcess() {
    PluginTester tester = PluginTester.forServedPlugin("hello", 1000, List.of(Phase.ACCESS));

    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, tester::run);

    assertEquals("plugin 'hello' is known only from its server; run it with runOverSocket(...)", e.getMessage());
  }

  private static Path traces() {
    try {
      return Path.of(FakeKongOverSocketTest.class.getResource("/kong-traces/kong-3.9.3").toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
