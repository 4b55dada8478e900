package dev.kongpdk.plugin;

import java.time.Duration;

/** {@link PluginMetrics#none()}: meters that record nothing, still checking names as the real ones do. */
enum NoMetrics implements PluginMetrics, PluginMetrics.Counter, PluginMetrics.Timer {
  INSTANCE;

  @Override
  public Counter counter(String name, String... tags) {
    PluginMetrics.check(name, tags);
    return this;
  }

  @Override
  public Timer timer(String name, String... tags) {
    PluginMetrics.check(name, tags);
    return this;
  }

  @Override
  public void increment(long amount) {}

  @Override
  public void record(Duration duration) {}
}
