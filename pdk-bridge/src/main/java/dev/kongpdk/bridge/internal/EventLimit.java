package dev.kongpdk.bridge.internal;

import dev.kongpdk.bridge.internal.limits.RefusalLog;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cap on events in flight: an event holds a slot from Kong's {@code HandleEvent} until its
 * handler has returned (not merely until the event ended: a handler stuck in a call to a hung
 * service still holds its thread and memory). Beyond the cap the server sheds new events with the
 * plugin's failure policy instead of running out of memory or threads (the caller answers and
 * counts them), and says so in one log line at most every {@link #LOG_EVERY}.
 */
public final class EventLimit {

  private static final System.Logger LOG = System.getLogger(EventLimit.class.getName());

  /** Shedding is reported at most this often (the first shed at once). */
  static final Duration LOG_EVERY = Duration.ofSeconds(10);

  /**
   * What one event in flight may hold, for the default cap. On the heap: its connection's buffers
   * and decoded request (about 22 KiB measured) and the plugin's own objects, with room, 128 KiB.
   * Outside it: the platform thread its handler runs on, with a stack of up to 512 KiB under the
   * launcher's {@code -Xss512k} and the JVM's own memory for the thread, part of which it keeps
   * after the thread has ended. Measured in a hung-dependency storm through Kong, each thread at
   * the peak left about 8.5 KiB of resident memory behind ({@code docs/reliability.md}), so the
   * cap also bounds what a storm leaves: 512 KiB an event, a quarter of it heap.
   */
  static final long BYTES_PER_EVENT = 512 * 1024;

  private final int max;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final RefusalLog log = new RefusalLog(LOG, Level.ERROR, LOG_EVERY);

  /**
   * Creates a cap of {@code max} events.
   *
   * @param max the most events in flight, at least 1
   */
  public EventLimit(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("the cap on events in flight must be at least 1");
    }
    this.max = max;
  }

  /**
   * Returns the default cap for a heap of {@code maxHeapBytes}: the heap divided by {@link
   * #BYTES_PER_EVENT}, between 64 and 16,384 (247 under the launcher's 128 MiB heap, of which
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

  /** Takes a slot for a new event; returns false (and logs the shedding) when none is free. */
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
    log.refused("shedding load: " + max + " events in flight, the cap (--max-events); new events"
        + " are answered with their plugin's failure policy");
  }
}
