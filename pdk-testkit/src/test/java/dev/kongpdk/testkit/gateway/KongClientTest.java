package dev.kongpdk.testkit.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The client speaks Kong's side exactly as the recorded Kong 3.9.3 traces show. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class KongClientTest {

  private static final Path TRACES = traces();
  private static final KongClient.Options FAST = KongClient.Options.defaults().withTimeout(Duration.ofSeconds(3));

  @TempDir
  Path dir;

  /** Kong's answers in hello-01/02: the x-name header, nil for the setters and the log call. */
  private static CallAnswerer helloAnswers(String name, List<String> seen) {
    return (method, args) -> {
      seen.add(method + args);
      return method.equals("kong.request.get_header") && args.equals(List.of("x-name")) ? name : null;
    };
  }

  private static String recordedConfig(String file) throws IOException {
    String first = Files.readAllLines(TRACES.resolve(file)).stream().filter(l -> l.contains("StartInstance")).findFirst().orElseThrow();
    return new ObjectMapper().readTree(first).at("/msg/3/0/Config").asText();
  }

  @Test
  void startInstanceAndEventMatchKongsRecordedRequests() throws IOException {
    try (TraceReplayServer server = new TraceReplayServer(TRACES.resolve("hello-01-hello.jsonl"), dir.resolve("s.sock"), 0);
        KongClient client = KongClient.connect(server.socket(), FAST)) {
      List<String> seen = new ArrayList<>();

      long id = client.startInstance("hello", recordedConfig("hello-01-hello.jsonl"));
      KongClient.EventOutcome outcome = client.handleEvent(id, "access", helloAnswers("alice", seen));

      assertEquals(List.of(), server.mismatches());
      assertEquals(0, server.requestsLeft());
      assertEquals(0L, id);
      assertEquals(new KongClient.EventOutcome(0, 4, Optional.empty()), outcome);
      assertEquals(List.of("kong.request.get_header[x-name]", "kong.response.set_header[X-Hello, Hello alice]",
          "kong.service.request.set_header[X-Hello-Upstream, from-js alice]",
          "kong.log.notice[hello plugin: greeted alice mode=hello]"), seen);
      assertEquals(1, server.connectionsUsed(), "sequential calls reuse the pooled connection, as Kong does");
    }
  }

  @Test
  void terminalExitEndsTheEventWithoutAnAnswer() throws IOException {
    try (TraceReplayServer server = new TraceReplayServer(TRACES.resolve("hello-02-deny.jsonl"), dir.resolve("s.sock"), 6);
        KongClient client = KongClient.connect(server.socket(), FAST)) {
      List<String> seen = new ArrayList<>();

      long id = client.startInstance("hello", recordedConfig("hello-02-deny.jsonl"));
      KongClient.EventOutcome outcome = client.handleEvent(id, "access", helloAnswers("mallory", seen));

      assertEquals(List.of(), server.mismatches());
      assertEquals(0, server.requestsLeft());
      assertEquals(Optional.of("kong.response.exit"), outcome.terminalMethod());
      assertEquals("kong.response.exit[403, {message=denied by hello plugin}, {X-Hello-Denied=1}]", seen.get(seen.size() - 1));
      assertEquals(6, server.requestsReceived(), "nothing is sent after the exit");
    }
  }

  @Test
  void rotatingSendsEachCallOnAnotherConnection() throws IOException {
    try (TraceReplayServer server = new TraceReplayServer(TRACES.resolve("hello-01-hello.jsonl"), dir.resolve("s.sock"), 0);
        KongClient client = KongClient.connect(server.socket(), FAST.rotatingOver(3))) {
      long id = client.startInstance("hello", recordedConfig("hello-01-hello.jsonl"));
      client.handleEvent(id, "access", helloAnswers("alice", new ArrayList<>()));

      assertEquals(List.of(), server.mismatches());
      assertEquals(3, server.connectionsUsed());
    }
  }

  @Test
  void noPluginInstanceErrorIsItsOwnException() throws IOException {
    Path trace = script(List.of(0L, 1L, "plugin.HandleEvent", List.of(Map.of("InstanceId", 2L, "EventName", "access"))),
        java.util.Arrays.asList(1L, 1L, "no plugin instance #2", null));
    try (TraceReplayServer server = new TraceReplayServer(trace, dir.resolve("s.sock"), 0);
        KongClient client = KongClient.connect(server.socket(), FAST)) {
      NoPluginInstanceException e = assertThrows(NoPluginInstanceException.class,
          () -> client.handleEvent(2, "access", (m, a) -> null));

      assertEquals("no plugin instance #2", e.error());
      assertEquals("plugin.HandleEvent", e.rpcMethod());
    }
  }

  @Test
  void otherRpcErrorsAreRpcErrors() throws IOException {
    Path trace = script(List.of(0L, 1L, "plugin.StartInstance", List.of(Map.of("Name", "x", "Config", "{}"))),
        java.util.Arrays.asList(1L, 1L, "config.message: expected a string", null));
    try (TraceReplayServer server = new TraceReplayServer(trace, dir.resolve("s.sock"), 0);
        KongClient client = KongClient.connect(server.socket(), FAST)) {
      RpcErrorException e = assertThrows(RpcErrorException.class, () -> client.startInstance("x", "{}"));

      assertFalse(e instanceof NoPluginInstanceException);
      assertTrue(e.getMessage().contains("config.message: expected a string"));
    }
  }

  @Test
  void aServerThatNeverAnswersTimesOutWithAClearError() throws IOException {
    Path trace = script(List.of(0L, 1L, "plugin.CloseInstance", List.of(3L)), null);
    try (TraceReplayServer server = new TraceReplayServer(trace, dir.resolve("s.sock"), 0);
        KongClient client = KongClient.connect(server.socket(), FAST.withTimeout(Duration.ofMillis(300)))) {
      KongClientException e = assertThrows(KongClientException.class, () -> client.closeInstance(3));

      assertTrue(e.getMessage().contains("plugin.CloseInstance (msgid 1): no complete reply within PT0.3S"), e.getMessage());
      assertEquals(List.of(), server.mismatches());
    }
  }

  @Test
  void aMismatchedMsgidIsAProtocolError() throws IOException {
    Path trace = script(List.of(0L, 1L, "plugin.CloseInstance", List.of(3L)), java.util.Arrays.asList(1L, 9L, null, null));
    try (TraceReplayServer server = new TraceReplayServer(trace, dir.resolve("s.sock"), 0);
        KongClient client = KongClient.connect(server.socket(), FAST)) {
      KongClientException e = assertThrows(KongClientException.class, () -> client.closeInstance(3));

      assertTrue(e.getMessage().contains("response msgid 9 does not match request msgid 1"), e.getMessage());
    }
  }

  @Test
  void connectingToNothingFailsClearly() {
    try (KongClient client = KongClient.connect(dir.resolve("missing.sock"), FAST)) {
      KongClientException e = assertThrows(KongClientException.class, () -> client.closeInstance(1));

      assertTrue(e.getMessage().startsWith("cannot connect to the plugin server at "), e.getMessage());
    }
  }

  /** Writes a two-message trace: one Kong request and (unless null) one server reply. */
  private Path script(Object request, Object reply) throws IOException {
    return reply == null
        ? TraceReplayServer.script(dir.resolve("script.jsonl"), request)
        : TraceReplayServer.script(dir.resolve("script.jsonl"), request, reply);
  }

  private static Path traces() {
    try {
      return Path.of(KongClientTest.class.getResource("/kong-traces/kong-3.9.3").toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
