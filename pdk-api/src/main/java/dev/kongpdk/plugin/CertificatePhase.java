package dev.kongpdk.plugin;

import dev.kongpdk.Kong;

/** A plugin that runs in Kong's {@code certificate} phase ({@link Phase#CERTIFICATE}). */
@FunctionalInterface
public interface CertificatePhase {

  /**
   * Runs the plugin for one request in the {@code certificate} phase.
   *
   * @param kong the PDK, bound to this event
   * @throws Exception any failure; the plugin server logs it and applies the plugin's failure policy
   */
  void certificate(Kong kong) throws Exception;
}
