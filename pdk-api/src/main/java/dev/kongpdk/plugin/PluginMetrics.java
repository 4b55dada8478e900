package dev.kongpdk.plugin;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The plugin's own meters: counters and timers published with the plugin server's metrics, under
 * the plugin's name. A plugin receives it by taking it as the last parameter of its constructor:
 *
 * <pre>{@code
 * public AuthRouter(Config config, PluginMetrics metrics) {
 *   this.cacheHits = metrics.counter("cache.hits");
 *   this.authLatency = metrics.timer("auth.latency");
 * }
 * }</pre>
 *
 * <p>When the server runs with {@code pdk-metrics} and a {@code --metrics-*} flag, a counter named
 * {@code cache.hits} of plugin {@code auth-router} is published as {@code
 * kong_plugin_cache_hits_total{plugin="auth-router"}} (Prometheus) or {@code
 * kong.plugin.cache.hits} tagged {@code plugin:auth-router} (StatsD). Without the module the plugin
 * gets {@link #none()}, whose meters do nothing and cost nothing; the plugin compiles against this
 * interface only and never needs a metrics library. The test kit hands plugins a recording
 * implementation, so tests can assert what a run counted.
 *
 * <p>Asking twice for the same name and tags returns a meter that adds to the same series. Keep
 * tag values to a small fixed set (a reason, an outcome), never a user, token or path: each
 * distinct value is a new series in every Prometheus server that scrapes the plugin.
 */
public interface PluginMetrics {

  /**
   * A meter name: lowercase words separated by dots or underscores, for example {@code
   * cache.hits}.
   */
  Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*");

  /** A tag key: a lowercase word, other than {@code plugin} (the server sets that one). */
  Pattern TAG_KEY = Pattern.compile("[a-z][a-z0-9_]*");

  /**
   * Returns the counter {@code name} with the given tags.
   *
   * @param name see {@link #NAME}
   * @param tags pairs of key and value: {@code "reason", "expired"}
   * @return the counter
   * @throws IllegalArgumentException when the name or a tag key is not valid, or the tags are not
   *     pairs
   */
  Counter counter(String name, String... tags);

  /**
   * Returns the timer {@code name} with the given tags; it publishes a count, a sum, a maximum and
   * a histogram of latencies.
   *
   * @param name see {@link #NAME}
   * @param tags pairs of key and value
   * @return the timer
   * @throws IllegalArgumentException when the name or a tag key is not valid, or the tags are not
   *     pairs
   */
  Timer timer(String name, String... tags);

  /** A count that only goes up. */
  interface Counter {

    /** Adds one. */
    default void increment() {
      increment(1);
    }

    /**
     * Adds {@code amount}.
     *
     * @param amount a positive amount
     */
    void increment(long amount);
  }

  /** Durations of something the plugin does, such as a call to another service. */
  interface Timer {

    /**
     * Records one duration.
     *
     * @param duration how long it took
     */
    void record(Duration duration);

    /**
     * Runs {@code work} and records how long it took, also when it throws.
     *
     * @param work what to time
     * @param <T> what it returns
     * @return what {@code work} returned
     */
    default <T> T time(Supplier<T> work) {
      long start = System.nanoTime();
      try {
        return work.get();
      } finally {
        record(Duration.ofNanos(System.nanoTime() - start));
      }
    }
  }

  /**
   * Returns meters that record nothing: what a plugin gets when the server publishes no metrics.
   *
   * @return the no-op metrics
   */
  static PluginMetrics none() {
    return NoMetrics.INSTANCE;
  }

  /**
   * Checks a meter name and its tags as every implementation must.
   *
   * @param name the meter name
   * @param tags the tags, as pairs of key and value
   * @throws IllegalArgumentException when they are not valid
   */
  static void check(String name, String... tags) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("meter name '" + name + "' is not lowercase words"
          + " separated by dots or underscores (for example cache.hits)");
    }
    if (tags.length % 2 != 0) {
      throw new IllegalArgumentException("tags of meter '" + name + "' must be key, value pairs;"
          + " got " + tags.length + " strings");
    }
    for (int i = 0; i < tags.length; i += 2) {
      String key = tags[i];
      if (key == null || !TAG_KEY.matcher(key).matches() || key.equals("plugin")) {
        throw new IllegalArgumentException("tag key '" + key + "' of meter '" + name + "' must be a"
            + " lowercase word other than 'plugin'");
      }
      if (tags[i + 1] == null) {
        throw new IllegalArgumentException("tag '" + key + "' of meter '" + name + "' has no value");
      }
    }
  }
}
