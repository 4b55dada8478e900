package dev.kongpdk.bridge.internal.limits;

import dev.kongpdk.bridge.internal.Instances;

/**
 * Bounds the plugin configs a peer can make the server keep: each config, and all live instances'
 * configs together (an instance lives until Kong closes it or it has been idle ten minutes).
 */
public final class ConfigLimit {

  private final int maxConfigBytes;
  private final long maxTotalConfigBytes;

  public ConfigLimit(PeerLimits limits) {
    this.maxConfigBytes = limits.maxConfigBytes();
    this.maxTotalConfigBytes = limits.maxTotalConfigBytes();
  }

  /**
   * Returns why {@code config} may not start an instance of {@code plugin} next to the live
   * {@code instances}, or null when it may.
   */
  public String refusal(String plugin, String config, Instances instances) {
    long size = config == null ? 0 : config.length();
    if (size > maxConfigBytes) {
      return "plugin '" + plugin + "': config of " + size + " bytes is larger than the limit of "
          + maxConfigBytes + " (--max-config-bytes)";
    }
    long live = 0;
    for (Instances.Entry entry : instances.all()) {
      live += entry.instance().configBytes();
    }
    if (live + size > maxTotalConfigBytes) {
      return "plugin '" + plugin + "': the configs of the live instances already hold " + live
          + " bytes; " + size + " more would pass the limit of " + maxTotalConfigBytes
          + " (--max-total-config-bytes)";
    }
    return null;
  }
}
