package dev.kongpdk.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.plugin.AccessPhase;
import dev.kongpdk.plugin.Phase;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many events of mixed outcome (completed, exited, thrown) over several connections, after which
 * nothing is left behind: no events, no extra instances, no more platform threads than one per
 * connection (idle ones are kept a while for the next connection), none of the server's threads
 * after it closed, and live heap back near its baseline. CI runs 20,000 events; {@code -Dsoak.events=1000000} runs the long soak
 * documented in docs/reliability.md.
 */
class SoakTest {

  @TempDir Path dir;

  @Test
  @Timeout(value = 30, unit = TimeUnit.MINUTES)
  void mixedEventsLeaveNothingBehind() throws Exception {
    int total = Integer.getInteger("soak.events", 20_000);
    int connections = 8;
    var threads = ManagementFactory.getThreadMXBean();
    var memory = ManagementFactory.getMemoryMXBean();
    long serverThreadsBefore = serverThreads(); // of servers other tests left behind, if any
    Set<Thread> before = serverThreadSet();
    try (PluginServer server = PluginServer.builder().socket(dir.resolve("soak.socket")).plugin(
        TestDescriptor.of("soak", Phase.ACCESS, c -> (AccessPhase) kong -> {
          String mode = kong.request().getHeader("x-mode").orElse("ok");
          switch (mode) {
            case "exit" -> kong.response().exit(401, "no");
            case "throw" -> throw new IllegalStateException("soak failure");
            default -> kong.response().setHeader("x-soak", mode);
          }
        })).start()) {
      long instanceId;
      try (KongWire kong = new KongWire(server.socket())) {
        instanceId = ((Number) kong.startInstance("soak", "{}").map().get("Id")).longValue();
        runEvents(kong, instanceId, 2_000); // warm up before taking the baseline
      }
      System.gc();
      int baselineThreads = threads.getThreadCount();
      long baselineHeap = memory.getHeapMemoryUsage().getUsed();

      long started = System.nanoTime();
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) { // not counted as platform threads
        List<Future<Void>> runs = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
          runs.add(pool.submit(() -> {
            try (KongWire kong = new KongWire(server.socket())) {
              runEvents(kong, instanceId, total / connections);
            }
            return null;
          }));
        }
        for (Future<Void> run : runs) {
          run.get();
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;

      assertEquals(0, server.eventsInFlight());
      assertEquals(1, server.instanceCount());
      Map<String, Long> counters = server.counters();
      assertEquals(counters.get("EventsStarted"),
          counters.get("EventsCompleted") + counters.get("EventsExited") + counters.get("EventsTimedOut"),
          counters.toString());
      System.gc();
      long heapGrowth = memory.getHeapMemoryUsage().getUsed() - baselineHeap;
      // one reading thread per connection at most (the warm-up's may still idle in the pool)
      assertTrue(serverThreads() - serverThreadsBefore <= connections + 1 + 2,
          "server threads " + (serverThreads() - serverThreadsBefore) + " for " + connections
              + " connections");
      assertTrue(heapGrowth < 32L << 20, "live heap grew by " + heapGrowth + " bytes");
      java.nio.file.Files.writeString(Path.of("target", "soak-result.txt"), String.format(
          "soak: %d events over %d connections in %.1f s (%d events/s); after the run: %d events in"
              + " flight, %d instance(s), platform threads %d (baseline %d), live heap growth %d KiB;"
              + " counters %s%n",
          total, connections, seconds, Math.round(total / seconds), server.eventsInFlight(),
          server.instanceCount(), threads.getThreadCount(), baselineThreads, heapGrowth >> 10, counters));
    }
    // a pool reports its threads finished just before they die: wait for this server's to end
    for (Thread thread : serverThreadSet()) {
      if (!before.contains(thread)) {
        thread.join(Duration.ofSeconds(5));
      }
    }
    long left = serverThreads() - serverThreadsBefore;
    assertTrue(left <= 0, "server threads left after close: " + left);
  }

  private static Set<Thread> serverThreadSet() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("kong-pdk-"))
        .collect(Collectors.toSet());
  }

  /** The live threads of the server (accept, janitor, connection threads): all named kong-pdk-. */
  private static long serverThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("kong-pdk-"))
        .count();
  }

  /** Runs events on one connection: 80% complete, 10% exit, 10% throw. */
  private static void runEvents(KongWire kong, long instanceId, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      String mode = i % 10 == 3 ? "exit" : i % 10 == 7 ? "throw" : "ok";
      KongWire.Response r = kong.handleEvent(instanceId, "access");
      long eventId = r.eventId();
      r = kong.step(eventId, mode);
      switch (mode) {
        case "exit" -> assertEquals("kong.response.exit", r.method());
        case "throw" -> {
          assertEquals("kong.log.err", r.method());
          assertEquals("kong.response.exit", kong.step(eventId, null).method());
        }
        default -> {
          assertEquals(List.of("x-soak", "ok"), r.args());
          assertEquals("ret", kong.step(eventId, null).data());
        }
      }
    }
  }
}
