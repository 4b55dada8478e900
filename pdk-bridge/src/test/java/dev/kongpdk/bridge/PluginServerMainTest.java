package dev.kongpdk.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command line Kong runs: {@code -dump}, socket placement, SIGTERM. */
@Timeout(30)
class PluginServerMainTest {

  @TempDir Path dir;

  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = PluginServerMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void dumpPrintsOnlyThePluginInfoKongExpects() throws Exception {
    Run run = run("-dump");
    assertEquals(0, run.status());
    assertEquals("", run.err());
    JsonNode dump = new ObjectMapper().readTree(run.out());
    assertEquals("MsgPack:1", dump.get("Protocol").asText());
    JsonNode plugin = dump.get("Plugins").get(0);
    assertEquals("greeter", plugin.get("Name").asText());
    assertEquals("0.1.0", plugin.get("Version").asText());
    assertTrue(plugin.get("Priority").isIntegralNumber());
    assertEquals("[\"access\"]", plugin.get("Phases").toString());
    assertEquals(GreeterPlugin.SCHEMA, plugin.get("Schema").toString());
    assertEquals(run.out(), run("--dump").out(), "the dump is deterministic");
  }

  @Test
  void badArgumentsAreExplained() {
    Run run = run("--bogus");
    assertEquals(2, run.status());
    assertTrue(run.err().startsWith("unknown option '--bogus'"), run.err());
    assertTrue(run.err().contains("Usage:"));
    assertEquals("", run.out());
    assertEquals(2, run("--socket").status());
    assertEquals(1, run("-dump", "--plugin", "nope").status());
  }

  @Test
  void timeoutsAreWrittenTheWayKongConfWritesThem() {
    PluginServerMain.Options options = PluginServerMain.Options.parse(new String[] {
        "--kong-read-timeout", "90s", "--event-timeout=500ms", "--max-events", "300"});
    assertEquals(java.time.Duration.ofSeconds(90), options.kongReadTimeout);
    assertEquals(java.time.Duration.ofMillis(500), options.eventTimeout);
    assertEquals(300, options.maxEvents);
    assertEquals(java.time.Duration.ofMinutes(2),
        PluginServerMain.Options.parse(new String[] {"-kong-read-timeout", "2m"}).kongReadTimeout);
    assertEquals(java.time.Duration.ofSeconds(45),
        PluginServerMain.Options.parse(new String[] {"--event-timeout", "45"}).eventTimeout);
    for (String[] bad : List.of(new String[] {"--kong-read-timeout", "soon"},
        new String[] {"--event-timeout", "0"}, new String[] {"--max-events", "0"},
        new String[] {"--kong-read-timeout", "-5s"})) {
      Run run = run(bad);
      assertEquals(2, run.status(), String.join(" ", bad));
      assertTrue(run.err().startsWith(bad[0]), run.err());
    }
  }

  @Test
  void aSocketThatCannotBeBoundIsAClearErrorAndANonZeroExit() {
    Run run = run("-kong-prefix", dir.resolve("missing").toString());
    assertEquals(1, run.status());
    assertTrue(run.err().contains("does not exist"), run.err());
  }

  @Test
  void aStaleSocketFileIsReplaced() throws Exception {
    Path socket = dir.resolve("greeter.socket");
    // A socket file left by a server that died: bound, never closed cleanly.
    var stale = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
    stale.bind(java.net.UnixDomainSocketAddress.of(socket));
    stale.close(); // closing a JDK Unix server channel leaves the file behind
    assertTrue(Files.exists(socket));
    try (PluginServer server = PluginServer.builder().plugin(new GreeterPlugin.Descriptor())
        .socket(socket).start(); KongWire kong = new KongWire(server.socket())) {
      assertEquals("greeter", kong.startInstance("greeter", "{}").map().get("Name"));
    }
    assertFalse(Files.exists(socket), "the socket file is removed on close");
  }

  /** A plugin server process, with its standard error collected. */
  private final class ServerProcess {
    final Process process;
    final List<String> log = new ArrayList<>();
    final CompletableFuture<Void> ready = new CompletableFuture<>();

    ServerProcess(String stdoutFile) throws Exception {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          PluginServerMain.class.getName(), "-kong-prefix", dir.toString())
          .redirectOutput(dir.resolve(stdoutFile).toFile()).start();
      Thread.ofVirtual().start(() -> {
        try (BufferedReader err = new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
          for (String line = err.readLine(); line != null; line = err.readLine()) {
            synchronized (log) {
              log.add(line);
            }
            if (line.contains("serving greeter on")) {
              ready.complete(null);
            }
          }
          ready.completeExceptionally(new AssertionError("server exited: " + log));
        } catch (java.io.IOException e) {
          ready.completeExceptionally(e);
        }
      });
      ready.get(20, TimeUnit.SECONDS);
    }

    String log() {
      synchronized (log) {
        return String.join("\n", log);
      }
    }
  }

  @Test
  void sigtermDrainsEventsInFlightRemovesTheSocketAndExitsZero() throws Exception {
    Path socket = dir.resolve("greeter.socket");
    ServerProcess server = new ServerProcess("stdout.txt");
    try {
      try (KongWire kong = new KongWire(socket)) {
        long id = ((Number) kong.startInstance("greeter", "{}").map().get("Id")).longValue();
        KongWire.Response call = kong.handleEvent(id, "access");
        server.process.destroy(); // SIGTERM, with an event in flight
        assertEquals("kong.response.set_header", kong.step(call.eventId(), "h").method());
        assertEquals("ret", kong.step(call.eventId(), null).data());
      }
      assertTrue(server.process.waitFor(20, TimeUnit.SECONDS), "the server exits after SIGTERM");
      assertEquals(0, server.process.exitValue(), server::log);
      assertFalse(Files.exists(socket), "the socket file is removed");
      assertEquals("", Files.readString(dir.resolve("stdout.txt")), "nothing but -dump writes to stdout");
    } finally {
      server.process.destroyForcibly();
    }
  }

  @Test
  void afterSigkillTheNextServerReplacesTheStaleSocket() throws Exception {
    Path socket = dir.resolve("greeter.socket");
    ServerProcess killed = new ServerProcess("stdout-1.txt");
    killed.process.destroyForcibly(); // SIGKILL: no clean-up
    assertTrue(killed.process.waitFor(20, TimeUnit.SECONDS));
    assertTrue(Files.exists(socket), "SIGKILL leaves the socket file behind");
    ServerProcess next = new ServerProcess("stdout-2.txt");
    try (KongWire kong = new KongWire(socket)) {
      assertEquals("greeter", kong.startInstance("greeter", "{}").map().get("Name"));
    } finally {
      next.process.destroyForcibly();
    }
  }
}
