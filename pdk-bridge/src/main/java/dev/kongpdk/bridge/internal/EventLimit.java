package dev.kongpdk.bridge.internal;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cap on events in flight: an event holds a slot from Kong's {@code HandleEvent} until its
 * handler has returned (not merely until the event ended: a handler stuck in a call to a hung
 * service still holds its thread and memory). Beyond the cap the server sheds new events with the
 * plugin's failure policy instead of running out of memory or threads, and says so in one log
 * line at most every {@link #LOG_EVERY_NANOS}.
 */
public final class EventLimit {

  private static final System.Logger LOG = System.getLogger(EventLimit.class.getName());

  /** Shedding is reported at most this often (the first shed at once). */
  static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  /**
   * What one event in flight may hold, for the default cap: its connection's buffers and decoded
   * request (about 22 KiB measured), the plugin's own objects and the thread's stack, with room.
   */
  static final long BYTES_PER_EVENT = 128 * 1024;

  private final int max;
  private final ServerStats stats;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final LongAdder shedSinceLog = new LongAdder();
  private final AtomicLong lastLog;

  /**
   * Creates a cap of {@code max} events.
   *
   * @param max the most events in flight, at least 1
   * @param stats where shed events are counted
   */
  public EventLimit(int max, ServerStats stats) {
    if (max < 1) {
      throw new IllegalArgumentException("the cap on events in flight must be at least 1");
    }
    this.max = max;
    this.stats = stats;
    this.lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
  }

  /**
   * Returns the default cap for a heap of {@code maxHeapBytes}: the heap divided by {@link
   * #BYTES_PER_EVENT}, between 64 and 16,384 (990 under the launcher's 128 MiB heap, of which
   * the JVM reports a little less).
   */
  public static int defaultFor(long maxHeapBytes) {
    return (int) Math.clamp(maxHeapBytes / BYTES_PER_EVENT, 64, 16_384);
  }

  /** Returns the cap. */
  public int max() {
    return max;
  }

  /** Returns the events holding a slot now. */
  public int inFlight() {
    return inFlight.get();
  }

  /** Takes a slot for a new event; returns false (and counts a shed event) when none is free. */
  public boolean tryAcquire() {
    while (true) {
      int now = inFlight.get();
      if (now >= max) {
        shed();
        return false;
      }
      if (inFlight.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  /** Gives back the slot of an event whose handler has returned (or never ran). */
  public void release() {
    inFlight.decrementAndGet();
  }

  private void shed() {
    stats.eventShed();
    shedSinceLog.increment();
    long now = System.nanoTime();
    long last = lastLog.get();
    if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
      long count = shedSinceLog.sumThenReset();
      LOG.log(Level.ERROR, "shedding load: " + max + " events in flight, the cap (--max-events);"
          + " " + count + " new event(s) answered with their plugin's failure policy since the"
          + " last report");
    }
  }
}
