package dev.kongpdk.benchmarks.jmh;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The hand-off of one PDK round trip between a connection thread and an event's handler thread,
 * as {@code dev.kongpdk.bridge.internal.event.Event} does it (two single-slot queues): the
 * connection passes Kong's answer, the handler passes its next call back. Compares thread kinds
 * (both virtual, both platform, platform connection with virtual handler) and timed against
 * untimed waits. Time per round trip, wall clock, both threads on an otherwise idle JVM.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HandOffBenchmark {

  private static final int ROUND_TRIPS = 20_000;
  private static final Object ANSWER = new Object();

  @Param({"virtual", "platform", "mixed"})
  public String threads;

  @Param({"untimed", "timed"})
  public String waits;

  @Benchmark
  @OperationsPerInvocation(ROUND_TRIPS)
  public void roundTrips() throws InterruptedException {
    BlockingQueue<Object> toKong = new ArrayBlockingQueue<>(1);
    BlockingQueue<Object> fromKong = new ArrayBlockingQueue<>(1);
    boolean timed = waits.equals("timed");
    Runnable handler = () -> {
      try {
        for (int i = 0; i < ROUND_TRIPS; i++) {
          toKong.put(ANSWER);
          take(fromKong, timed);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    Runnable connection = () -> {
      try {
        for (int i = 0; i < ROUND_TRIPS; i++) {
          take(toKong, timed);
          fromKong.put(ANSWER);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    Thread.Builder connectionThreads =
        threads.equals("virtual") ? Thread.ofVirtual() : Thread.ofPlatform();
    Thread.Builder handlerThreads =
        threads.equals("platform") ? Thread.ofPlatform() : Thread.ofVirtual();
    Thread c = connectionThreads.start(connection);
    Thread h = handlerThreads.start(handler);
    c.join();
    h.join();
  }

  private static void take(BlockingQueue<Object> queue, boolean timed) throws InterruptedException {
    if (timed) {
      if (queue.poll(60, TimeUnit.SECONDS) == null) {
        throw new IllegalStateException("no hand-off within 60 s");
      }
    } else {
      queue.take();
    }
  }
}
