package dev.kongpdk.benchmarks.driver;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Kong's own traffic while a plugin server is under attack: a hello event every 250 ms on one of
 * Kong's pooled connections, then one on a fresh connection, recording the slowest of each, how
 * many were shed, and the first failure. Also the hello workload itself, and the warm-up before a
 * baseline.
 */
final class HelloProbe {

  private static final long SECOND_NANOS = 1_000_000_000L;

  private final AtomicLong slowestPooled = new AtomicLong();
  private final AtomicLong slowestFresh = new AtomicLong();
  private final AtomicLong rounds = new AtomicLong();
  private final AtomicLong pooledShed = new AtomicLong();
  private final AtomicLong freshShed = new AtomicLong();
  private final AtomicReference<String> failure = new AtomicReference<>();
  private final Thread thread;

  private HelloProbe(KongConnection pooled, Path socket, long instance) {
    thread = Thread.ofPlatform().daemon().start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          long t0 = System.nanoTime();
          if (!helloEvent(pooled, instance)) {
            pooledShed.incrementAndGet();
          }
          slowestPooled.accumulateAndGet(System.nanoTime() - t0, Math::max);
          long t1 = System.nanoTime();
          try (KongConnection fresh = KongConnection.open(socket)) {
            if (!helloEvent(fresh, instance)) {
              freshShed.incrementAndGet();
            }
          }
          slowestFresh.accumulateAndGet(System.nanoTime() - t1, Math::max);
          rounds.incrementAndGet();
          Thread.sleep(250); // the probe's pace, not a synchronisation
        } catch (InterruptedException e) {
          return;
        } catch (IOException | RuntimeException e) {
          failure.compareAndSet(null, e.toString());
        }
      }
    });
  }

  /** Starts probing on {@code pooled} and on fresh connections to {@code socket}. */
  static HelloProbe start(KongConnection pooled, Path socket, long instance) {
    return new HelloProbe(pooled, socket, instance);
  }

  /**
   * Starts a hello instance on the first connection of {@code pool} and runs {@code events} hello
   * events over the pool's connections in turn; returns the instance id.
   */
  static long warmUp(List<KongConnection> pool, int events) throws IOException {
    long instance = ((Number) ManyConnections.castMap(pool.get(0).call("plugin.StartInstance",
        Map.of("Name", "hello", "Config", "{}"))).get("Id")).longValue();
    for (int i = 0; i < events; i++) {
      helloEvent(pool.get(i % pool.size()), instance);
    }
    return instance;
  }

  /**
   * Runs a hello event (get the host header, set a response header); returns false when the
   * server shed it (answered {@code kong.response.exit} at once).
   */
  static boolean helloEvent(KongConnection conn, long instance) throws IOException {
    Map<String, Object> step = ManyConnections.castMap(conn.call("plugin.HandleEvent",
        Map.of("InstanceId", instance, "EventName", "access")));
    long eventId = ((Number) step.get("EventId")).longValue();
    while (step.get("Data") instanceof Map<?, ?> data) {
      String method = (String) data.get("Method");
      if (method.equals("kong.response.exit")) {
        return false;
      }
      Object answer = method.equals("kong.request.get_header") ? "example.test" : null;
      Map<String, Object> param = new LinkedHashMap<>();
      param.put("EventId", eventId);
      param.put("Data", answer);
      step = ManyConnections.castMap(conn.call("plugin.Step", param));
    }
    if (!"ret".equals(step.get("Data"))) {
      throw new IOException("unexpected event answer " + step);
    }
    return true;
  }

  /** Stops probing and waits for the probe's last round. */
  void stop() throws InterruptedException {
    thread.interrupt();
    thread.join();
  }

  long rounds() {
    return rounds.get();
  }

  double slowestPooledMillis() {
    return slowestPooled.get() / 1e6;
  }

  double slowestFreshMillis() {
    return slowestFresh.get() / 1e6;
  }

  long pooledShed() {
    return pooledShed.get();
  }

  long freshShed() {
    return freshShed.get();
  }

  /** The first error a probe round met, or null. */
  String failure() {
    return failure.get();
  }

  /** Whether every probe event, pooled and fresh, was answered within a second. */
  boolean answeredWithinASecond() {
    return slowestPooled.get() < SECOND_NANOS && slowestFresh.get() < SECOND_NANOS;
  }
}
