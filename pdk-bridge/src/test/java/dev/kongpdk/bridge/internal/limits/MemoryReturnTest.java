package dev.kongpdk.bridge.internal.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MemoryReturnTest {

  private static final long MIB = 1024 * 1024;
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private int collections;
  /** The committed heap; a collection sets it to {@link #afterCollection}. */
  private long heap = 8 * MIB;
  private long afterCollection = 8 * MIB;
  private long clock;

  private MemoryReturn sampling(Long... samples) {
    ArrayDeque<Long> queue = new ArrayDeque<>(List.of(samples));
    return new MemoryReturn(() -> queue.isEmpty() ? 0 : queue.removeFirst(), () -> heap,
        MemoryReturn.DEFAULT_THRESHOLD, MemoryReturn.DEFAULT_INFLATED, () -> {
          collections++;
          heap = afterCollection;
        });
  }

  /** Checks once a second for {@code seconds}; returns how many collected. */
  private int run(MemoryReturn memory, int seconds) {
    int collected = 0;
    for (int i = 0; i < seconds; i++) {
      clock += SECOND;
      collected += memory.check(clock) ? 1 : 0;
    }
    return collected;
  }

  @Test
  void collectsOnceWhenABurstIsOver() {
    MemoryReturn memory = sampling(MIB, 40 * MIB, 64 * MIB, 30 * MIB, 15 * MIB, MIB, MIB, MIB);
    heap = 60 * MIB;
    assertEquals(1, run(memory, 8));
    assertEquals(0, run(memory, 300), "the heap went back: nothing more to do");
  }

  @Test
  void neverCollectsWhileTheBurstLasts() {
    MemoryReturn memory = sampling(64 * MIB, 60 * MIB, 64 * MIB, 50 * MIB, 20 * MIB, 20 * MIB);
    heap = 100 * MIB;
    for (int i = 0; i < 6; i++) {
      clock += SECOND;
      assertFalse(memory.check(clock));
    }
  }

  @Test
  void smallBurstsAndASmallHeapCostNoCollection() {
    MemoryReturn memory = sampling(10 * MIB, 0L, 15 * MIB, 0L);
    assertEquals(0, run(memory, 600));
  }

  @Test
  void aSecondBurstIsReturnedToo() {
    MemoryReturn memory = sampling(32 * MIB, 0L, 0L, 0L, 20 * MIB, 0L, 0L, 0L);
    assertEquals(2, run(memory, 8));
  }

  @Test
  void waitsUntilTheLoadHasStayedDown() {
    MemoryReturn memory = sampling(32 * MIB, 0L, 0L, 20 * MIB, 0L, 0L, 20 * MIB);
    assertEquals(0, run(memory, 7));
  }

  @Test
  void aHeapStillInflatedAfterTheBurstIsCollectedAgainHalfAMinuteLater() {
    MemoryReturn memory = sampling(64 * MIB, 0L, 0L, 0L);
    heap = 90 * MIB;
    afterCollection = 85 * MIB; // the tail of the burst was still live
    assertEquals(1, run(memory, 4));
    afterCollection = 12 * MIB;
    assertEquals(0, run(memory, 25), "not within half a minute");
    assertEquals(1, run(memory, 10));
    assertEquals(12 * MIB, heap);
    assertEquals(0, run(memory, 600));
  }

  @Test
  void aPluginThatLetsGoAMinuteAfterTheBurstGetsItsHeapReturned() {
    MemoryReturn memory = sampling(64 * MIB, 0L, 0L, 0L);
    heap = 90 * MIB;
    afterCollection = 60 * MIB; // a plugin's pooled connections, until their keep-alive ends
    assertEquals(1, run(memory, 4), "the burst is over");
    assertEquals(2, run(memory, 64), "half a minute apart, while the plugin still holds them");
    afterCollection = 12 * MIB; // their keep-alive has ended
    assertEquals(1, run(memory, 30));
    assertEquals(12 * MIB, heap);
  }

  @Test
  void aModestLeftoverIsReturnedToo() {
    MemoryReturn memory = sampling(20 * MIB, 0L, 0L, 0L);
    heap = 35 * MIB;
    afterCollection = 24 * MIB; // what the plugin still holds
    assertEquals(1, run(memory, 4));
    afterCollection = 12 * MIB;
    assertEquals(1, run(memory, 31));
    assertEquals(12 * MIB, heap);
    assertEquals(0, run(memory, 600), "a heap at rest is left alone");
  }

  @Test
  void aHeapThatDoesNotShrinkIsCollectedLessAndLessOften() {
    MemoryReturn memory = sampling();
    heap = 40 * MIB; // a plugin that keeps a large cache
    afterCollection = 38 * MIB;
    assertEquals(1, run(memory, 5), "once, to find out"); // at 3 s
    assertEquals(4, run(memory, 125), "half a minute apart, four times"); // at 33, 63, 93, 123 s
    assertEquals(0, run(memory, 50), "then not within a minute");
    assertEquals(1, run(memory, 10)); // at 183 s
    assertEquals(0, run(memory, 110), "not within two minutes");
    assertEquals(1, run(memory, 20)); // at 303 s
    // then after 4, 8, 16, 32 minutes and every hour: at 543, 1023, 1983, 3903, 7503, 11103 s
    assertEquals(6, run(memory, 3 * 3600));
  }

  @Test
  void theBudgetReportsItsHighWaterMarkOncePerPeriod() {
    MemoryBudget budget = new MemoryBudget(100);
    assertTrue(budget.tryReserve(60));
    budget.release(60);
    assertTrue(budget.tryReserve(10));
    assertEquals(60, budget.takePeak());
    assertEquals(10, budget.takePeak());
  }
}
