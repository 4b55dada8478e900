package dev.kongpdk.bridge.internal.limits;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs one kind of refusal or shedding as a line an operator can alert on, at most once per
 * interval, so that a flood of them costs one line per interval with the number left unlogged.
 */
public final class RefusalLog {

  private final Logger log;
  private final Level level;
  private final long intervalNanos;
  private final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  /** Logs warnings on {@code log}, at most one per {@code interval}. */
  public RefusalLog(Logger log, java.time.Duration interval) {
    this(log, Level.WARNING, interval);
  }

  /** Logs at {@code level} on {@code log}, at most one line per {@code interval}. */
  public RefusalLog(Logger log, Level level, java.time.Duration interval) {
    this.log = log;
    this.level = level;
    this.intervalNanos = interval.toNanos();
  }

  /** Logs {@code message}, or counts it when a line was written less than an interval ago. */
  public void refused(String message) {
    long now = System.nanoTime();
    long next = nextAt.get();
    if ((next == Long.MIN_VALUE || now - next >= 0) && nextAt.compareAndSet(next, now + intervalNanos)) {
      long more = suppressed.getAndSet(0);
      log.log(level, more == 0 ? message
          : message + " (and " + more + " more like it since the last such line)");
    } else {
      suppressed.incrementAndGet();
    }
  }
}
