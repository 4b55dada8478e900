package dev.kongpdk.bridge.internal.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MemoryReturnTest {

  private static final long MIB = 1024 * 1024;

  private final AtomicInteger collections = new AtomicInteger();

  private MemoryReturn sampling(Long... samples) {
    ArrayDeque<Long> queue = new ArrayDeque<>(List.of(samples));
    return new MemoryReturn(queue::removeFirst, 16 * MIB, collections::incrementAndGet);
  }

  @Test
  void collectsOnceWhenABurstIsOver() {
    MemoryReturn memory = sampling(MIB, 40 * MIB, 64 * MIB, 30 * MIB, 15 * MIB, MIB, MIB, MIB);
    for (int i = 0; i < 8; i++) {
      memory.check();
    }
    assertEquals(1, collections.get());
  }

  @Test
  void neverCollectsWhileTheBurstLasts() {
    MemoryReturn memory = sampling(64 * MIB, 60 * MIB, 64 * MIB, 50 * MIB, 20 * MIB);
    for (int i = 0; i < 5; i++) {
      assertFalse(memory.check());
    }
    assertEquals(0, collections.get());
  }

  @Test
  void smallBurstsCostNoCollection() {
    MemoryReturn memory = sampling(10 * MIB, 0L, 15 * MIB, 0L);
    for (int i = 0; i < 4; i++) {
      memory.check();
    }
    assertEquals(0, collections.get());
  }

  @Test
  void aSecondBurstIsReturnedToo() {
    MemoryReturn memory = sampling(32 * MIB, 0L, 0L, 0L, 20 * MIB, 0L, 0L, 0L);
    for (int i = 0; i < 8; i++) {
      memory.check();
    }
    assertEquals(2, collections.get());
  }

  @Test
  void waitsUntilTheLoadHasStayedDown() {
    MemoryReturn memory = sampling(32 * MIB, 0L, 0L, 20 * MIB, 0L, 0L);
    for (int i = 0; i < 6; i++) {
      assertFalse(memory.check());
    }
    assertEquals(0, collections.get());
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
