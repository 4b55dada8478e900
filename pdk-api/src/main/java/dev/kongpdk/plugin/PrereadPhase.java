package dev.kongpdk.plugin;

import dev.kongpdk.Kong;

/** A plugin that runs in Kong's {@code preread} phase ({@link Phase#PREREAD}). */
@FunctionalInterface
public interface PrereadPhase {

  /**
   * Runs the plugin for one request in the {@code preread} phase.
   *
   * @param kong the PDK, bound to this event
   * @throws Exception any failure; the plugin server logs it and applies the plugin's failure policy
   */
  void preread(Kong kong) throws Exception;
}
