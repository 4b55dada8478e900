package dev.kongpdk.metrics.internal;

import dev.kongpdk.plugin.PluginMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;

/**
 * A plugin's own meters on the server's registry: {@code kong.plugin.<name>}, tagged with the
 * plugin's name.
 */
public final class MicrometerPluginMetrics implements PluginMetrics {

  /** The prefix of every plugin meter's name. */
  public static final String PREFIX = "kong.plugin.";

  private final MeterRegistry registry;
  private final String plugin;

  public MicrometerPluginMetrics(MeterRegistry registry, String plugin) {
    this.registry = registry;
    this.plugin = plugin;
  }

  @Override
  public Counter counter(String name, String... tags) {
    PluginMetrics.check(name, tags);
    io.micrometer.core.instrument.Counter counter =
        io.micrometer.core.instrument.Counter.builder(PREFIX + name)
            .tags(Tags.of(tags).and("plugin", plugin))
            .register(registry);
    return amount -> {
      if (amount < 0) {
        throw new IllegalArgumentException("counter '" + name + "' only goes up; got " + amount);
      }
      counter.increment(amount);
    };
  }

  @Override
  public Timer timer(String name, String... tags) {
    PluginMetrics.check(name, tags);
    io.micrometer.core.instrument.Timer timer =
        io.micrometer.core.instrument.Timer.builder(PREFIX + name)
            .tags(Tags.of(tags).and("plugin", plugin))
            .register(registry);
    return (Duration duration) -> timer.record(duration);
  }
}
