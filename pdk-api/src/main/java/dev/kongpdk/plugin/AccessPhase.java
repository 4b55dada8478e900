package dev.kongpdk.plugin;

import dev.kongpdk.Kong;

/** A plugin that runs in Kong's {@code access} phase ({@link Phase#ACCESS}). */
@FunctionalInterface
public interface AccessPhase {

  /**
   * Runs the plugin for one request in the {@code access} phase.
   *
   * @param kong the PDK, bound to this event
   * @throws Exception any failure; the plugin server logs it and applies the plugin's failure policy
   */
  void access(Kong kong) throws Exception;
}
