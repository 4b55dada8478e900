package com.example.logshipper;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded queue of log entries and one background thread that writes them to a {@link Sink} in
 * batches: a batch goes out when it holds {@code batchSize} entries or {@code flushInterval} after
 * its first entry, whichever comes first. {@link #close()} sends everything still queued.
 *
 * <p>Request threads never wait: when the queue is full, {@link #offer(String)} refuses the entry
 * (the caller counts it as dropped) instead of slowing Kong down.
 */
final class BatchSender implements AutoCloseable {

  /** Marks the end of the queue; Kong's serialized entries are JSON objects, never empty. */
  private static final String END = "";
  private static final int ATTEMPTS = 3;
  private static final System.Logger LOG = System.getLogger(BatchSender.class.getName());

  private final Sink sink;
  private final int batchSize;
  private final long flushNanos;
  private final Duration closeTimeout;
  private final BlockingQueue<String> queue;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong lost = new AtomicLong();
  private final Thread thread;

  BatchSender(Sink sink, int batchSize, Duration flushInterval, int capacity, Duration closeTimeout) {
    this.sink = sink;
    this.batchSize = batchSize;
    this.flushNanos = flushInterval.toNanos();
    this.closeTimeout = closeTimeout;
    this.queue = new LinkedBlockingQueue<>(capacity + 1); // + 1: room for END
    // A daemon: it never keeps the plugin server alive; close() flushes.
    this.thread = Thread.ofPlatform().daemon().name("log-shipper-sender").start(this::run);
  }

  /**
   * Queues one entry without waiting.
   *
   * @param entry a JSON object
   * @return false when the queue is full or the sender is closed: the entry was not queued
   */
  boolean offer(String entry) {
    return !closed.get() && !entry.isEmpty() && queue.remainingCapacity() > 1 && queue.offer(entry);
  }

  /** Entries that could not be written after every attempt. */
  long lost() {
    return lost.get();
  }

  /**
   * Stops taking entries, sends what is queued and waits for the sender thread (at most the close
   * timeout). Safe to call more than once.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (!queue.offer(END, closeTimeout.toNanos(), TimeUnit.NANOSECONDS)
          || !thread.join(closeTimeout)) {
        LOG.log(System.Logger.Level.WARNING, "log-shipper: {0} entries still queued after {1}",
            queue.size(), closeTimeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<String> batch = new ArrayList<>(batchSize);
    boolean ending = false;
    try {
      while (!ending) {
        String first = queue.take();
        if (first.equals(END)) {
          break;
        }
        batch.add(first);
        long deadline = System.nanoTime() + flushNanos;
        while (batch.size() < batchSize) {
          String next = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
          if (next.equals(END)) {
            ending = true;
            break;
          }
          batch.add(next);
        }
        send(batch);
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      lost.addAndGet(batch.size() + queue.size());
    }
  }

  private void send(List<String> batch) throws InterruptedException {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        sink.write(batch);
        return;
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "log-shipper: attempt {0} of {1} to write {2} entries failed: {3}",
            attempt, ATTEMPTS, batch.size(), e.toString());
        if (attempt < ATTEMPTS) {
          Thread.sleep(100L * attempt); // a short back-off before the next attempt
        }
      }
    }
    lost.addAndGet(batch.size());
  }
}
