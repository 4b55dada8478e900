package dev.kongpdk.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kongpdk.plugin.Phase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SimulatorTest {

  @Test
  void readsBothDumpShapesAndPicksThePlugin() {
    String array = "[{\"Name\":\"hello\",\"Priority\":1000,\"Phases\":[\"access\",\"log\"]}]";
    String object = "{\"Protocol\":\"MsgPack:1\",\"Plugins\":[{\"Name\":\"a\",\"Priority\":1,\"Phases\":[\"rewrite\"]},"
        + "{\"Name\":\"b\",\"Priority\":2,\"Phases\":[\"response\"]}]}";

    assertEquals(new Simulator.PluginInfo("hello", 1000, List.of(Phase.ACCESS, Phase.LOG)),
        Simulator.PluginInfo.fromDump(array, Optional.empty()));
    assertEquals(new Simulator.PluginInfo("b", 2, List.of(Phase.RESPONSE)),
        Simulator.PluginInfo.fromDump(object, Optional.of("b")));
    IllegalArgumentException several = assertThrows(IllegalArgumentException.class,
        () -> Simulator.PluginInfo.fromDump(object, Optional.empty()));
    assertTrue(several.getMessage().contains("[a, b]"), several.getMessage());
    assertThrows(IllegalStateException.class, () -> Simulator.PluginInfo.fromDump("not json", Optional.empty()));
  }

  @Test
  void badArgumentsExitWith2AndSayWhatIsWrong() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status = Simulator.run(new String[] {"--jar", "x.jar", "--header", "no-colon"}, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));

    assertEquals(2, status);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--header must be \"Name: value\", got 'no-colon'"));
  }

  @Test
  void helpPrintsTheUsageAndSucceeds() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int status = Simulator.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream()));

    assertEquals(0, status);
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: Simulator "), out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void needsExactlyOneServer() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Simulator.Options.parse(new String[] {"--request", "GET http://h/"}));

    assertEquals("give exactly one of --jar and --server-cmd", e.getMessage());
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void printsEveryCallAndTheResponseOfARealServerProcess() throws Exception {
    Path trace = Path.of(SimulatorTest.class.getResource("/kong-traces/kong-3.9.3/hello-01-hello.jsonl").toURI());
    String config = new ObjectMapper().readTree(Files.readAllLines(trace).get(1)).at("/msg/3/0/Config").asText();
    String java = ProcessHandle.current().info().command().orElseThrow();
    String command = java + " -cp " + System.getProperty("java.class.path")
        + " dev.kongpdk.testkit.gateway.ReplayServerMain " + trace;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status = Simulator.run(new String[] {"--server-cmd", command, "--config", config,
        "--request", "GET http://127.0.0.1:18200/hello/a?x=1", "--header", "X-Name: alice",
        "--upstream-body", "from upstream"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    assertTrue(printed.contains("> GET http://127.0.0.1:18200/hello/a?x=1\n"), printed);
    assertTrue(printed.contains("[hello:access] kong.request.get_header[\"x-name\"] -> \"alice\"\n"), printed);
    assertTrue(printed.contains("[hello:access] kong.response.set_header[\"X-Hello\", \"Hello alice\"]\n"), printed);
    assertTrue(printed.contains("[hello:access] log.notice: hello plugin: greeted alice mode=hello\n"), printed);
    assertTrue(printed.contains(">> GET http://upstream.test:80/hello/a?x=1   (the request sent upstream)\n"), printed);
    assertTrue(printed.contains(">> x-name: alice\n"), printed);
    assertTrue(printed.contains("< 200 (service)\n< x-hello: Hello alice\n"), printed);
    assertTrue(printed.endsWith("from upstream\n"), printed);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void runsThisKitsServerFromAJarClassPath() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status = Simulator.run(new String[] {"--jar", System.getProperty("java.class.path"), "--plugin", "hello",
        "--config", "{\"message\":\"hi\"}", "--request", "GET http://example.com/path?x=1"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    assertTrue(printed.contains("[hello:access] kong.request.get_header[\"host\"] -> \"example.com\"\n"), printed);
    assertTrue(printed.contains("< x-hello-from-java: Java says hi to example.com\n"), printed);
  }
}
