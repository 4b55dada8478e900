package dev.kongpdk.bridge.internal.limits;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap all connections together may hold in messages being read or handled, estimated as
 * decoded objects (not wire bytes). A reader reserves before it allocates and releases when the
 * message has been handled; a reservation that does not fit is refused at once.
 */
public final class MemoryBudget {

  private final long capacity;
  private final AtomicLong used = new AtomicLong();
  /** The most reserved at once since {@link #takePeak()} last read it. */
  private final AtomicLong peak = new AtomicLong();

  public MemoryBudget(long capacity) {
    this.capacity = capacity;
  }

  /** Reserves {@code bytes}; returns false, reserving nothing, when they do not fit. */
  public boolean tryReserve(long bytes) {
    long now;
    do {
      now = used.get();
      if (now + bytes > capacity) {
        return false;
      }
    } while (!used.compareAndSet(now, now + bytes));
    if (now + bytes > peak.get()) {
      peak.accumulateAndGet(now + bytes, Math::max);
    }
    return true;
  }

  /** Gives back {@code bytes} reserved earlier. */
  public void release(long bytes) {
    used.addAndGet(-bytes);
  }

  /** Bytes reserved now. */
  public long used() {
    return used.get();
  }

  /** Returns the most bytes reserved at once since the last call, and starts a new period. */
  public long takePeak() {
    return Math.max(peak.getAndSet(used.get()), used.get());
  }

  public long capacity() {
    return capacity;
  }
}
