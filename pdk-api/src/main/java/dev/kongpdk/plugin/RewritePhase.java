package dev.kongpdk.plugin;

import dev.kongpdk.Kong;

/** A plugin that runs in Kong's {@code rewrite} phase ({@link Phase#REWRITE}). */
@FunctionalInterface
public interface RewritePhase {

  /**
   * Runs the plugin for one request in the {@code rewrite} phase.
   *
   * @param kong the PDK, bound to this event
   * @throws Exception any failure; the plugin server logs it and applies the plugin's failure policy
   */
  void rewrite(Kong kong) throws Exception;
}
