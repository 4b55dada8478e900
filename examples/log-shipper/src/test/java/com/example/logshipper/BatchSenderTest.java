package com.example.logshipper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BatchSenderTest {

  private static final Duration LONG = Duration.ofHours(1);
  private static final Duration CLOSE = Duration.ofSeconds(10);

  /** Keeps every batch it was given. */
  private static final class RecordingSink implements Sink {
    final BlockingQueue<List<String>> batches = new LinkedBlockingQueue<>();

    @Override
    public void write(List<String> entries) {
      batches.add(List.copyOf(entries));
    }

    List<List<String>> all() {
      return new ArrayList<>(batches);
    }
  }

  @Test
  void sendsFullBatchesAndTheRestOnClose() {
    RecordingSink sink = new RecordingSink();
    BatchSender sender = new BatchSender(sink, 3, LONG, 100, CLOSE);
    for (int i = 1; i <= 7; i++) {
      assertTrue(sender.offer("{\"n\":" + i + "}"));
    }
    sender.close();

    assertEquals(List.of(
        List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"),
        List.of("{\"n\":4}", "{\"n\":5}", "{\"n\":6}"),
        List.of("{\"n\":7}")), sink.all());
  }

  @Test
  void sendsAPartialBatchOnceTheFlushIntervalIsOver() throws InterruptedException {
    RecordingSink sink = new RecordingSink();
    try (BatchSender sender = new BatchSender(sink, 100, Duration.ofMillis(20), 100, CLOSE)) {
      sender.offer("{\"n\":1}");

      assertEquals(List.of("{\"n\":1}"), sink.batches.poll(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void refusesEntriesWithoutWaitingWhenTheQueueIsFull() throws InterruptedException {
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<List<String>> written = new ArrayList<>();
    Sink slow = entries -> {
      writing.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (written) {
        written.add(List.copyOf(entries));
      }
    };
    BatchSender sender = new BatchSender(slow, 1, LONG, 2, CLOSE);
    sender.offer("a");
    writing.await(); // the sender holds "a" and waits for the sink; the queue is empty

    assertTrue(sender.offer("b"));
    assertTrue(sender.offer("c"));
    assertFalse(sender.offer("d"));

    release.countDown();
    sender.close();
    assertEquals(List.of(List.of("a"), List.of("b"), List.of("c")), written);
  }

  @Test
  void retriesABatchTheSinkFailedToWrite() {
    AtomicInteger calls = new AtomicInteger();
    RecordingSink sink = new RecordingSink();
    Sink flaky = entries -> {
      if (calls.incrementAndGet() == 1) {
        throw new IOException("sink down");
      }
      sink.write(entries);
    };
    BatchSender sender = new BatchSender(flaky, 10, LONG, 100, CLOSE);
    sender.offer("a");
    sender.close();

    assertEquals(List.of(List.of("a")), sink.all());
    assertEquals(0, sender.lost());
  }

  @Test
  void countsABatchAsLostWhenEveryAttemptFails() {
    BatchSender sender = new BatchSender(entries -> {
      throw new IOException("sink down");
    }, 10, LONG, 100, CLOSE);
    sender.offer("a");
    sender.offer("b");
    sender.close();

    assertEquals(2, sender.lost());
  }

  @Test
  void refusesEntriesAfterClose() {
    RecordingSink sink = new RecordingSink();
    BatchSender sender = new BatchSender(sink, 10, LONG, 100, CLOSE);
    sender.close();

    assertFalse(sender.offer("a"));
    assertEquals(List.of(), sink.all());
  }
}
