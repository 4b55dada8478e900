package dev.kongpdk.bridge.internal.limits;

import java.util.function.LongSupplier;

/**
 * Gives back to the system the memory a burst made the server take, once the burst is over.
 *
 * <p>A flood of connections or large messages grows the heap and fills the old generation with
 * objects that die when the burst ends (connections, their buffers, decoded messages). The
 * launcher's serial collector shrinks the heap only in a full collection, and a server that is
 * quiet again allocates too little to ever need one: without help its RSS would stay at the
 * burst's level. So the server samples the memory peers make it hold: the budget's high-water mark
 * plus an estimate per live thread, since every connection and every running handler has one, and
 * a thread that served a burst keeps its stack and the JDK's per-thread I/O buffers (heap and
 * native) until it has been idle for a minute and exits. When the samples have stayed at a
 * quarter of a peak of at least {@code threshold} for a few checks in a row (the burst's
 * connections are closed and their threads gone), it asks for one full collection; the launcher's
 * flags make that collection shrink the heap at once.
 *
 * <p>Nothing is collected while a burst lasts (the sample stays near its peak), nor after small
 * ones, so serving at a steady pace never pays for a full collection.
 */
public final class MemoryReturn {

  /** What a thread serving a connection or an event holds, roughly (buffers, state). */
  public static final long PER_THREAD = 32 * 1024;

  /** The smallest peak worth a full collection: about 500 threads' worth. */
  public static final long DEFAULT_THRESHOLD = 16L * 1024 * 1024;

  /** How many checks in a row must find the load down before it collects. */
  static final int QUIET_CHECKS = 3;

  private final LongSupplier held;
  private final long threshold;
  private final Runnable collect;
  private long peak;
  private int quiet;

  /**
   * Samples {@code held} (bytes peers make the server hold now, or at most since the last
   * sample) and runs {@code collect} after a burst of at least {@code threshold} bytes.
   */
  public MemoryReturn(LongSupplier held, long threshold, Runnable collect) {
    this.held = held;
    this.threshold = threshold;
    this.collect = collect;
  }

  /**
   * Takes a sample; collects when the peak since the last collection was at least the threshold
   * and the last {@value #QUIET_CHECKS} samples, this one included, were at most a quarter of it. Called from one thread, periodically.
   *
   * @return whether it collected
   */
  public boolean check() {
    long now = held.getAsLong();
    peak = Math.max(peak, now);
    if (peak < threshold || now > peak / 4) {
      quiet = 0;
      return false;
    }
    if (++quiet < QUIET_CHECKS) {
      return false;
    }
    collect.run();
    peak = now;
    quiet = 0;
    return true;
  }
}
