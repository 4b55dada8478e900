package dev.kongpdk.bridge.internal;

import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginDescriptor;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How long each plugin's handler may run in each phase without calling Kong or returning: the
 * server's event timeout, or the plugin's shorter {@link dev.kongpdk.plugin.PhaseTimeout}. Read
 * once per plugin when the server starts.
 */
public final class HandlerTimeouts {

  private final Duration eventTimeout;
  private final Map<String, Map<Phase, Duration>> byPlugin = new HashMap<>();

  /**
   * Reads the limits of {@code plugins}.
   *
   * @throws IllegalStateException when a plugin's {@code @PhaseTimeout} is not positive
   */
  public HandlerTimeouts(List<PluginDescriptor> plugins, Duration eventTimeout) {
    this.eventTimeout = eventTimeout;
    for (PluginDescriptor plugin : plugins) {
      Map<Phase, Duration> phases = new EnumMap<>(Phase.class);
      for (Phase phase : plugin.phases()) {
        plugin.phaseTimeout(phase)
            .filter(limit -> limit.compareTo(eventTimeout) < 0)
            .ifPresent(limit -> phases.put(phase, limit));
      }
      byPlugin.put(plugin.name(), phases);
    }
  }

  /** Returns the limit for {@code plugin}'s handler in {@code phase}. */
  public Duration of(PluginDescriptor plugin, Phase phase) {
    Map<Phase, Duration> phases = byPlugin.get(plugin.name());
    return phases == null ? eventTimeout : phases.getOrDefault(phase, eventTimeout);
  }

  /** Returns the shortest limit of any plugin and phase (the event timeout when none is shorter). */
  public Duration shortest() {
    Duration shortest = eventTimeout;
    for (Map<Phase, Duration> phases : byPlugin.values()) {
      for (Duration limit : phases.values()) {
        if (limit.compareTo(shortest) < 0) {
          shortest = limit;
        }
      }
    }
    return shortest;
  }

  /** Returns the server's event timeout, which applies to every wait without a shorter limit. */
  public Duration eventTimeout() {
    return eventTimeout;
  }
}
