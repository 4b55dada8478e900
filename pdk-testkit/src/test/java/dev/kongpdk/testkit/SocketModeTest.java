package dev.kongpdk.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kongpdk.testkit.gateway.KongClient;
import dev.kongpdk.testkit.gateway.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same scenarios in process and against a real plugin server process (this kit's server,
 * started on the test class path) over its Unix socket: the results must be the same.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketModeTest {

  @TempDir
  static Path dir;

  private static ServerProcess server;

  @BeforeAll
  static void startServer() {
    Path socket = dir.resolve("plugins.sock");
    server = ServerProcess.start(ServerProcess.javaCommand(System.getProperty("java.class.path"), "--socket", socket.toString(),
            "--event-timeout", "3"), // events Kong abandons (Lua errors) end soon, so the server stops quickly
        socket, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  static Stream<Arguments> scenarios() {
    return Stream.of(
        Arguments.of("hello", PluginTester.forPlugin(Hello.class).config("{\"message\":\"hi\"}")
            .request(TestRequest.get("http://example.com/path?x=1"))),
        Arguments.of("phase order", PluginTester.forPlugin(TestPlugins.EveryPhase.DESCRIPTOR)),
        Arguments.of("exit skips later plugins and upstream", PluginTester.forPlugin(TestPlugins.EveryPhase.DESCRIPTOR)
            .withPlugin(TestPlugins.Deny.DESCRIPTOR, "{}")
            .request(TestRequest.get("http://example.com/x").header("X-Deny", "1"))),
        Arguments.of("priority order with stand-ins", PluginTester.forPlugin(TestPlugins.Deny.DESCRIPTOR)
            .withPlugin(Hello.class, "{}")
            .withPlugin(LuaStandIn.named("reader").priority(1)
                .access(kong -> kong.response().setHeader("x-ctx", String.valueOf(kong.call("kong.ctx.shared.get", "deny").orElse(null)))))),
        Arguments.of("lua error in access", PluginTester.forPlugin(TestPlugins.WrongPhase.DESCRIPTOR)),
        Arguments.of("throwing plugin", PluginTester.forPlugin(TestPlugins.Throws.DESCRIPTOR)),
        Arguments.of("upstream request changes and binary body", PluginTester.forPlugin(TestPlugins.Rewriter.DESCRIPTOR)
            .request(TestRequest.post("http://example.com/items").header("X-Multi", "one").header("X-Remove", "r")
                .body(new byte[] {(byte) 0xff, 0, (byte) 0xcf}))),
        Arguments.of("response phase", PluginTester.forPlugin(TestPlugins.ResponseReader.DESCRIPTOR)
            .upstream(UpstreamResponse.status(200).header("X-Upstream", "u1").body(new byte[] {1, 2, (byte) 0x80}))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void overTheSocketTheResultIsTheSameAsInProcess(String name, PluginTester tester) {
    assertEquals(summary(tester.run()), summary(tester.runOverSocket(server)));
  }

  @Test
  void helloTestPassesOverTheSocket() {
    TestResult result = PluginTester.forPlugin(Hello.class)
        .config("{\"message\":\"hi\"}")
        .request(TestRequest.get("http://example.com/path?x=1").header("X-Request-Id", "42"))
        .upstream(UpstreamResponse.status(200).body("from upstream"))
        .runOverSocket(server);

    assertEquals(200, result.response().status());
    assertEquals("Java says hi to example.com", result.response().header("X-Hello-From-Java").orElseThrow());
    assertEquals("from upstream", result.response().bodyText());
    assertEquals("/path", result.upstreamRequest().orElseThrow().path());
  }

  @Test
  void everyStepOnAnotherConnectionGivesTheSameResult() {
    PluginTester tester = PluginTester.forPlugin(TestPlugins.Rewriter.DESCRIPTOR).withPlugin(TestPlugins.EveryPhase.DESCRIPTOR, "{}");
    try (KongClient rotating = KongClient.connect(server.socket(), KongClient.Options.defaults().rotatingOver(3))) {
      assertEquals(summary(tester.run()), summary(tester.runOver(rotating)));
    }
  }

  /** Everything a test can observe, with byte arrays made comparable and stack traces cut. */
  private static List<String> summary(TestResult r) {
    List<String> lines = new ArrayList<>();
    ClientResponse response = r.response();
    lines.add("response " + response.status() + " " + response.source() + " " + response.headers() + " "
        + toList(response.body()));
    r.upstreamRequest().ifPresentOrElse(up -> lines.add("upstream " + up.method() + " " + up.scheme() + "://" + up.host()
        + ":" + up.port() + up.pathWithQuery() + " " + up.headers() + " " + toList(up.body()) + " " + up.upstreamName()
        + " " + up.retries() + " " + up.timeouts()), () -> lines.add("not proxied"));
    r.logs().forEach(l -> lines.add("log " + l.plugin() + " " + l.phase() + " " + l.level() + " " + l.message().lines().findFirst().orElse("")));
    r.calls().forEach(c -> lines.add(c.method().startsWith("kong.log.") ? "call " + c.plugin() + " " + c.phase() + " " + c.method() : c.toString()));
    lines.add("ctx " + r.ctxShared());
    return lines;
  }

  private static List<Integer> toList(byte[] bytes) {
    List<Integer> list = new ArrayList<>();
    for (byte b : bytes) {
      list.add(b & 0xff);
    }
    return list;
  }
}
