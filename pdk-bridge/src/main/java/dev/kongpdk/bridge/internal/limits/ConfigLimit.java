package dev.kongpdk.bridge.internal.limits;

import dev.kongpdk.bridge.internal.Instances;
import java.time.Duration;

/**
 * Bounds the plugin configs a peer can make the server keep: each config, and all live instances'
 * configs together (an instance lives until Kong closes it or it has been idle ten minutes); and
 * what parsing one takes: its tree, estimated ({@link ConfigSize}), is held in the memory budget
 * shared with every message being decoded while it is parsed and the instance started.
 */
public final class ConfigLimit {

  /**
   * What every live instance counts for at least against the limit on all configs together: the
   * server's own objects for it (about 400 bytes) and room for the plugin's. Without it, configs
   * of {@code {}} let a client start instances until the heap ran out (about 190,000 held 80 MiB).
   */
  public static final int INSTANCE_FLOOR_BYTES = 1024;

  private final int maxConfigBytes;
  private final long maxTotalConfigBytes;
  private final long maxDecodedBytes;
  private final MemoryBudget budget;
  private final RefusalLog refusals = new RefusalLog(
      System.getLogger(ConfigLimit.class.getName()), Duration.ofSeconds(10));

  /** Limits from {@code limits}; a config's parsing is charged to {@code budget}. */
  public ConfigLimit(PeerLimits limits, MemoryBudget budget) {
    this.maxConfigBytes = limits.maxConfigBytes();
    this.maxTotalConfigBytes = limits.maxTotalConfigBytes();
    this.maxDecodedBytes = limits.maxDecodedBytes();
    this.budget = budget;
  }

  /**
   * Logs a config refused by these limits: at most one line per 10 s, with the number of others,
   * so that a client starting instance after instance cannot flood the log.
   */
  public void logRefusal(String line) {
    refusals.refused(line);
  }

  /**
   * The answer to a config: why it may not start an instance ({@link #refusal()} non-null), or
   * else the share of the memory budget its parsing holds until closed.
   */
  public record Admission(String refusal, Runnable release) implements AutoCloseable {
    @Override
    public void close() {
      release.run();
    }
  }

  /**
   * Admits {@code config} to start an instance of {@code plugin} next to the live {@code
   * instances}: refused when it is over the limit of one config, when all configs together would
   * pass theirs, when its parsed tree ({@link ConfigSize}) is over the limit of one decoded
   * message, or when the memory budget cannot hold that tree now; otherwise the tree's estimate is
   * reserved in the budget until the admission is closed (after parsing and starting).
   */
  public Admission admit(String plugin, String config, Instances instances) {
    long size = config == null ? 0 : config.length();
    if (size > maxConfigBytes) {
      return refused("plugin '" + plugin + "': config of " + size
          + " bytes is larger than the limit of " + maxConfigBytes + " (--max-config-bytes)");
    }
    long live = 0;
    int count = 0;
    for (Instances.Entry entry : instances.all()) {
      live += Math.max(entry.instance().configBytes(), INSTANCE_FLOOR_BYTES);
      count++;
    }
    long counted = Math.max(size, INSTANCE_FLOOR_BYTES);
    if (live + counted > maxTotalConfigBytes) {
      return refused("plugin '" + plugin + "': the configs of the " + count
          + " live instances already hold " + live + " bytes (each counts at least "
          + INSTANCE_FLOOR_BYTES + "); " + counted + " more would pass the limit of "
          + maxTotalConfigBytes + " (--max-total-config-bytes)");
    }
    long tree = ConfigSize.of(config);
    if (tree > maxDecodedBytes) {
      return refused("plugin '" + plugin + "': config of " + size + " bytes parses to about "
          + tree + " bytes of objects, more than the limit of " + maxDecodedBytes
          + " (--max-decoded-bytes)");
    }
    if (!budget.tryReserve(tree)) {
      return refused("plugin '" + plugin + "': parsing its config (about " + tree
          + " bytes of objects) would pass the server's memory budget of " + budget.capacity()
          + " bytes now (--max-buffered-bytes)");
    }
    return new Admission(null, () -> budget.release(tree));
  }

  private static Admission refused(String why) {
    return new Admission(why, () -> { });
  }
}
