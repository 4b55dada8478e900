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
import java.nio.file.attribute.PosixFilePermissions;
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
  void aMetricsOptionWithoutTheMetricsModuleNamesTheModule() {
    Run run = run("--socket", dir.resolve("greeter.socket").toString(),
        "--metrics-prometheus", "127.0.0.1:9542");
    assertEquals(2, run.status());
    assertTrue(run.err().contains("--metrics-prometheus needs the metrics module")
        && run.err().contains("dev.kongpdk:pdk-metrics"), run.err());
    assertFalse(Files.exists(dir.resolve("greeter.socket")), "the server did not start");
    assertEquals(2, run("--metrics-statsd").status(), "a metrics option needs a value");
    assertTrue(run("--metrics-").err().startsWith("unknown option '--metrics-'"));
  }

  @Test
  void timeoutsAreWrittenTheWayKongConfWritesThem() {
    PluginServerMain.Options options = PluginServerMain.Options.parse(new String[] {
        "--kong-read-timeout", "90s", "--event-timeout=500ms", "--read-timeout", "1500ms"});
    assertEquals(java.time.Duration.ofSeconds(90), options.kongReadTimeout);
    assertEquals(java.time.Duration.ofMillis(500), options.eventTimeout);
    PluginServer.Builder builder = PluginServer.builder();
    options.limits.forEach(setting -> setting.accept(builder));
    assertEquals(java.time.Duration.ofMillis(1500), builder.limits().readTimeout());
    assertEquals(java.time.Duration.ofMinutes(2),
        PluginServerMain.Options.parse(new String[] {"-kong-read-timeout", "2m"}).kongReadTimeout);
    assertEquals(java.time.Duration.ofSeconds(45),
        PluginServerMain.Options.parse(new String[] {"--event-timeout", "45"}).eventTimeout);
    for (String[] bad : List.of(new String[] {"--kong-read-timeout", "soon"},
        new String[] {"--event-timeout", "0"}, new String[] {"--max-events", "0"},
        new String[] {"--kong-read-timeout", "-5s"})) {
      Run run = run(bad);
      assertEquals(2, run.status(), String.join(" ", bad));
      assertTrue(run.err().startsWith(bad[0] + " "), run.err());
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
      this(stdoutFile, List.of(), true);
    }

    /**
     * Starts {@code prefix java ... -kong-prefix dir args}; waits until it serves when
     * {@code await}.
     */
    ServerProcess(String stdoutFile, List<String> prefix, boolean await, String... args)
        throws Exception {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> command = new ArrayList<>(prefix);
      command.addAll(List.of(java, "-cp", System.getProperty("java.class.path"),
          PluginServerMain.class.getName(), "-kong-prefix", dir.toString()));
      command.addAll(List.of(args));
      process = new ProcessBuilder(command)
          .redirectOutput(dir.resolve(stdoutFile).toFile()).start();
      Thread.ofVirtual().start(() -> {
        try (BufferedReader err = new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
          for (String line = err.readLine(); line != null; line = err.readLine()) {
            synchronized (log) {
              log.add(line);
              log.notifyAll();
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
      if (await) {
        ready.get(20, TimeUnit.SECONDS);
      }
    }

    /** Waits until the server has logged a line containing {@code text}. */
    void awaitLog(String text) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      synchronized (log) {
        while (log.stream().noneMatch(line -> line.contains(text))) {
          if (!process.isAlive() || System.nanoTime() > deadline) {
            throw new AssertionError("no '" + text + "' from the server: " + log);
          }
          log.wait(100);
        }
      }
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

  @Test
  void ofTwoServerProcessesStartedAtOnceOnAStaleSocketOneServesAndTheOtherExitsOne()
      throws Exception {
    Path socket = dir.resolve("greeter.socket");
    var stale = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
    stale.bind(java.net.UnixDomainSocketAddress.of(socket));
    stale.close();
    ServerProcess one = new ServerProcess("stdout-1.txt", List.of(), false);
    ServerProcess two = new ServerProcess("stdout-2.txt", List.of(), false);
    try {
      boolean oneServes = one.ready.handle((v, e) -> e == null).get(20, TimeUnit.SECONDS);
      boolean twoServes = two.ready.handle((v, e) -> e == null).get(20, TimeUnit.SECONDS);
      assertTrue(oneServes != twoServes, "exactly one serves: " + one.log() + " / " + two.log());
      ServerProcess serving = oneServes ? one : two;
      ServerProcess refused = oneServes ? two : one;
      assertTrue(refused.process.waitFor(20, TimeUnit.SECONDS), "the second server exits");
      assertEquals(1, refused.process.exitValue());
      assertTrue(refused.log().contains("cannot listen on " + socket + ": another plugin server"),
          refused.log());
      try (KongWire kong = new KongWire(socket)) {
        assertEquals("greeter", kong.startInstance("greeter", "{}").map().get("Name"));
      }
      assertTrue(serving.process.isAlive());
    } finally {
      one.process.destroyForcibly();
      two.process.destroyForcibly();
    }
  }

  @Test
  void underAPermissiveUmaskTheSocketIsNeverSeenWithWiderPermissions() throws Exception {
    Path socket = dir.resolve("greeter.socket");
    java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicBoolean watching = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread watcher = Thread.ofPlatform().start(() -> {
      while (watching.get()) {
        try {
          seen.add(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        } catch (java.io.IOException notYet) {
          // not there yet
        }
      }
    });
    ServerProcess server = new ServerProcess("stdout.txt",
        List.of("sh", "-c", "umask 000 && exec \"$0\" \"$@\""), true);
    try {
      watching.set(false);
      watcher.join();
      assertEquals(java.util.Set.of("rw-------"), seen);
    } finally {
      server.process.destroyForcibly();
    }
  }

  @Test
  void runningOutOfFileDescriptorsNeitherStopsAcceptingNorStopsTheServer() throws Exception {
    Path socket = dir.resolve("greeter.socket");
    ServerProcess server = new ServerProcess("stdout.txt", List.of(), true,
        "--max-connections", "4");
    // Lower the running server's open-file limit to 20 above what it holds now: served
    // connections hold three descriptors each, shed ones one while they wait for a shedding
    // thread, so accepting or serving connections runs out of descriptors.
    long pid = server.process.pid();
    long open;
    try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      open = fds.count();
    }
    Process prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(pid),
        "--nofile=" + (open + 20) + ":" + (open + 20)).inheritIO().start();
    assertEquals(0, prlimit.waitFor());
    List<KongWire> held = new ArrayList<>();
    try {
      try (KongWire first = new KongWire(socket)) {
        first.startInstance("greeter", "{}");
      }
      // each served connection holds three descriptors; the kernel queues what is not accepted
      for (int i = 0; i < 100; i++) {
        held.add(new KongWire(socket));
      }
      server.awaitLog("Too many open files");
      for (KongWire wire : held) {
        wire.close();
      }
      held.clear();
      // The server answers again once it has seen those connections close and drained its
      // accept queue of them; until then a new connection may be shed, or reset when the
      // shedding queue is full of the closed ones (docs/reliability.md, Many connections).
      assertEquals("greeter", answeredWithin(socket, pid).map().get("Name"), server.log());
      assertTrue(server.process.isAlive(), "the parent check did not take a failed /proc read"
          + " for the parent's exit: " + server.log());
      assertTrue(Files.exists(socket));
    } finally {
      for (KongWire wire : held) {
        wire.close();
      }
      server.process.destroyForcibly();
    }
  }

  /**
   * Opens new connections to {@code socket} until one gets its StartInstance answered, for 15 s
   * at most; a connection the server resets is retried after 10 ms.
   */
  private static KongWire.Response answeredWithin(Path socket, long pid) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    Object monitor = new Object();
    synchronized (monitor) {
      while (true) {
        try (KongWire kong = new KongWire(socket)) {
          return kong.startInstance("greeter", "{}");
        } catch (java.io.IOException e) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError("server " + pid + " not answering 15 s after the"
                + " connections closed: " + e, e);
          }
        }
        monitor.wait(10); // polling the server, which drains the closed connections on its own
      }
    }
  }
}
