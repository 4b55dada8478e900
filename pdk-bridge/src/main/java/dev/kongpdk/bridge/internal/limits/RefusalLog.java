package dev.kongpdk.bridge.internal.limits;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs one kind of refusal as a warning an operator can alert on, at most once per interval, so
 * that a flood of refusals costs one line per interval with the number left unlogged.
 */
public final class RefusalLog {

  private final Logger log;
  private final long intervalNanos;
  private final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  public RefusalLog(Logger log, java.time.Duration interval) {
    this.log = log;
    this.intervalNanos = interval.toNanos();
  }

  /** Logs {@code message}, or counts it when a line was written less than an interval ago. */
  public void refused(String message) {
    long now = System.nanoTime();
    long next = nextAt.get();
    if ((next == Long.MIN_VALUE || now - next >= 0) && nextAt.compareAndSet(next, now + intervalNanos)) {
      long more = suppressed.getAndSet(0);
      log.log(Level.WARNING, more == 0 ? message
          : message + " (and " + more + " more like it since the last such line)");
    } else {
      suppressed.incrementAndGet();
    }
  }
}
