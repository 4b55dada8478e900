package dev.kongpdk.bridge.internal.limits;

import java.time.Duration;
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
 * native) until it has been idle for a minute and exits.
 *
 * <p>It asks for a full collection (the launcher's flags make one shrink the heap at once) when:
 * <ul>
 *   <li>the samples have stayed at a quarter of a peak of at least {@code threshold} for a few
 *       checks in a row: the burst's connections are closed and their threads gone;
 *   <li>or the load is that low and the heap is still larger than {@code inflated} a while after
 *       the last collection: that one came while the tail of the burst was still live, or a plugin
 *       still held what the burst made it keep (an HTTP client's pooled connections, say, until
 *       their keep-alive ends). The while is {@link #RETRY_AFTER} for the first
 *       {@link #PATIENT_RETRIES} collections in a row that find the heap no more than a quarter
 *       too large, then it doubles each time, up to an hour (a plugin that keeps that much for
 *       good); a collection that shrinks the heap, or a burst, starts it over.
 * </ul>
 *
 * <p>Nothing is collected while a burst lasts (the sample stays near its peak), nor after small
 * ones. Serving at a steady pace pays for no full collection while the heap stays at most {@code
 * inflated} (the launcher's is about 8 MiB committed at 5,000 requests/s with a small plugin); a
 * plugin that keeps more is collected by the second rule, a few times and then less and less
 * often.
 */
public final class MemoryReturn {

  /** What a thread serving a connection or an event holds, roughly (buffers, state). */
  public static final long PER_THREAD = 32 * 1024;

  /** The smallest peak worth a full collection: about 500 threads' worth. */
  public static final long DEFAULT_THRESHOLD = 16L * 1024 * 1024;

  /**
   * A heap larger than this is worth another collection once the load is low: a little more than
   * the launcher's heap at rest (about 12-15 MiB committed while serving at a steady pace).
   */
  public static final long DEFAULT_INFLATED = 16L * 1024 * 1024;

  /** How many checks in a row must find the load down before it collects. */
  static final int QUIET_CHECKS = 3;

  /** How long after a collection another one may follow for a heap still inflated, at first. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(30);

  /** How many collections in a row may find the heap not shrinking before the while doubles. */
  static final int PATIENT_RETRIES = 4;

  /** The longest wait between collections for a heap that stays inflated. */
  static final Duration RETRY_AT_MOST = Duration.ofHours(1);

  private final LongSupplier held;
  private final LongSupplier heapCommitted;
  private final long threshold;
  private final long inflated;
  private final Runnable collect;
  private long peak;
  private int quiet;
  private long lastCollection;
  private boolean collected;
  /** Collections in a row that found the heap no more than a quarter too large. */
  private int unproductive;
  /** How long after the last collection another may follow for a heap still inflated. */
  private long retryAfterNanos = RETRY_AFTER.toNanos();

  /**
   * Samples {@code held} (bytes peers make the server hold now, or at most since the last sample)
   * and {@code heapCommitted}, and runs {@code collect} as described above.
   */
  public MemoryReturn(LongSupplier held, LongSupplier heapCommitted, long threshold,
      long inflated, Runnable collect) {
    this.held = held;
    this.heapCommitted = heapCommitted;
    this.threshold = threshold;
    this.inflated = inflated;
    this.collect = collect;
  }

  /**
   * Takes a sample at {@code nowNanos} ({@link System#nanoTime()}) and collects when one of the
   * rules above holds. Called from one thread, about once a second.
   *
   * @return whether it collected
   */
  public boolean check(long nowNanos) {
    long now = held.getAsLong();
    peak = Math.max(peak, now);
    boolean low = now <= threshold / 4;
    boolean burstOver = peak >= threshold && now <= peak / 4;
    quiet = burstOver || low ? Math.min(quiet + 1, QUIET_CHECKS) : 0;
    if (quiet < QUIET_CHECKS) {
      return false;
    }
    long heap = heapCommitted.getAsLong();
    boolean stillInflated = low && heap > inflated
        && (!collected || nowNanos - lastCollection - retryAfterNanos >= 0);
    if (!(burstOver || stillInflated)) {
      return false;
    }
    collect.run();
    long after = heapCommitted.getAsLong();
    if (burstOver || after <= heap / 4 * 3) {
      unproductive = 0;
      retryAfterNanos = RETRY_AFTER.toNanos();
    } else if (++unproductive > PATIENT_RETRIES) {
      retryAfterNanos = Math.min(2 * retryAfterNanos, RETRY_AT_MOST.toNanos());
    }
    collected = true;
    lastCollection = nowNanos;
    peak = now;
    quiet = 0;
    return true;
  }
}
