package dev.kongpdk.bridge.internal.limits;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deadlines of reads that block in the kernel (a blocking channel has no read timeout). Each
 * connection registers once and sets its deadline while a read inside a message may wait;
 * {@link #expire()}, run periodically, ends the reads whose deadline has passed by closing their
 * connection.
 */
public final class ReadDeadlines {

  /** A connection whose reads have deadlines. */
  public interface Reader {
    /** The deadline of the read in progress ({@link System#nanoTime()}), or 0 when none. */
    long deadline();

    /** Ends the read in progress, which is past its deadline. */
    void expire();
  }

  private final Set<Reader> readers = ConcurrentHashMap.newKeySet();

  public void register(Reader reader) {
    readers.add(reader);
  }

  public void unregister(Reader reader) {
    readers.remove(reader);
  }

  /** Ends the reads whose deadline has passed; returns how many. */
  public int expire() {
    long now = System.nanoTime();
    int expired = 0;
    for (Reader reader : readers) {
      long deadline = reader.deadline();
      if (deadline != 0 && now - deadline >= 0) {
        reader.expire();
        expired++;
      }
    }
    return expired;
  }
}
