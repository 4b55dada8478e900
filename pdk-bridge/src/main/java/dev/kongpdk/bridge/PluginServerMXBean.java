package dev.kongpdk.bridge;

import java.util.Map;

/**
 * The plugin server's health, published over JMX as {@code
 * dev.kongpdk:type=PluginServer,socket="<path>"} for monitoring agents.
 */
public interface PluginServerMXBean {

  /** Returns the names of the plugins served. */
  String getPlugins();

  /** Returns the number of events in flight. */
  int getEventsInFlight();

  /** Returns the number of live plugin instances. */
  int getInstances();

  /**
   * Returns the counters: events started, completed, failed (the plugin threw), timed out, exited;
   * instances started, rejected (bad config or unknown plugin), expired; RPC errors; malformed
   * messages; rejected peers; total and maximum event time in microseconds.
   */
  Map<String, Long> getCounters();
}
