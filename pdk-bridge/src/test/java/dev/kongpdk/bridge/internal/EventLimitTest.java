package dev.kongpdk.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EventLimitTest {

  private static final long MIB = 1024 * 1024;

  @Test
  void theDefaultCapCountsHalfAMebibyteAnEventOfTheHeapTheJvmReports() {
    // -Xmx128m with the serial collector: the JVM reports the heap less one survivor space
    assertEquals(247, EventLimit.defaultFor(129_761_280L));
    assertEquals(2_048, EventLimit.defaultFor(1_024 * MIB));
  }

  @Test
  void theDefaultCapStaysBetween64And16384() {
    assertEquals(64, EventLimit.defaultFor(8 * MIB));
    assertEquals(16_384, EventLimit.defaultFor(64 * 1024 * MIB));
  }

  @Test
  void beyondTheCapNewEventsAreRefusedUntilASlotIsGivenBack() {
    EventLimit limit = new EventLimit(2);
    assertTrue(limit.tryAcquire());
    assertTrue(limit.tryAcquire());
    assertFalse(limit.tryAcquire());
    assertEquals(2, limit.inFlight());
    limit.release();
    assertTrue(limit.tryAcquire());
  }
}
