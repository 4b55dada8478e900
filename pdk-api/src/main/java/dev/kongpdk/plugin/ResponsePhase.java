package dev.kongpdk.plugin;

import dev.kongpdk.Kong;

/** A plugin that runs in Kong's {@code response} phase ({@link Phase#RESPONSE}). */
@FunctionalInterface
public interface ResponsePhase {

  /**
   * Runs the plugin for one request in the {@code response} phase.
   *
   * @param kong the PDK, bound to this event
   * @throws Exception any failure; the plugin server logs it and applies the plugin's failure policy
   */
  void response(Kong kong) throws Exception;
}
