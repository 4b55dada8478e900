package dev.kongpdk.metrics;

import dev.kongpdk.Kong;
import dev.kongpdk.plugin.AccessPhase;
import dev.kongpdk.plugin.KongPlugin;
import dev.kongpdk.plugin.LogPhase;
import dev.kongpdk.plugin.PluginMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Ends each access event the way its {@code x-outcome} header says: {@code complete}, {@code exit}
 * (403), {@code fail} (throws), {@code hang} (waits until the server gives up on it); counts
 * requests and times its pretend lookup with its own meters.
 */
@KongPlugin(name = "outcomes", version = "0.1.0", priority = 10)
public final class OutcomesPlugin implements AccessPhase, LogPhase {

  private final PluginMetrics.Counter seen;
  private final PluginMetrics.Timer lookup;

  public OutcomesPlugin(PluginMetrics metrics) {
    this.seen = metrics.counter("requests.seen");
    this.lookup = metrics.timer("lookup.latency", "backend", "memory");
  }

  @Override
  public void access(Kong kong) throws InterruptedException {
    seen.increment();
    String outcome = kong.request().getHeader("x-outcome").orElse("complete");
    switch (outcome) {
      case "complete" -> {
        lookup.record(Duration.ofMillis(3));
        kong.response().setHeader("x-outcome", "completed");
      }
      case "exit" -> kong.response().exit(403, Map.of("message", "no"), Map.of());
      case "fail" -> throw new IllegalStateException("the plugin failed on purpose");
      case "hang" -> {
        try {
          new CountDownLatch(1).await(); // until the server's event timeout interrupts it
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      default -> throw new IllegalArgumentException("unknown outcome " + outcome);
    }
  }

  @Override
  public void log(Kong kong) {}
}
