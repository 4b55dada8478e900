package dev.kongpdk.plugin;

import dev.kongpdk.Kong;

/** A plugin that runs in Kong's {@code log} phase ({@link Phase#LOG}). */
@FunctionalInterface
public interface LogPhase {

  /**
   * Runs the plugin for one request in the {@code log} phase.
   *
   * @param kong the PDK, bound to this event
   * @throws Exception any failure; the plugin server logs it and applies the plugin's failure policy
   */
  void log(Kong kong) throws Exception;
}
