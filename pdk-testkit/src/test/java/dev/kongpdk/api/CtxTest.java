package dev.kongpdk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kongpdk.PdkException;
import dev.kongpdk.SharedCtx;
import dev.kongpdk.testkit.MockBridge;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CtxTest {

  private final MockBridge bridge = new MockBridge();

  private SharedCtx shared() {
    return bridge.kong().ctx().shared();
  }

  @Test
  void getReadsEachTypeAndAbsence() {
    bridge.expect("kong.ctx.shared.get", "probe_rw").returns("set-in-rewrite")
        .expect("kong.ctx.shared.get", "probe_access").returns(42L)
        .expect("kong.ctx.shared.get", "ratio").returns(0.5)
        .expect("kong.ctx.shared.get", "flag").returns(true)
        .expect("kong.ctx.shared.get", "list").returns(List.of("a"))
        .expect("kong.ctx.shared.get", "never_set").returnsNothing()
        .expect("kong.ctx.shared.get", "never_set").returnsNothing();
    assertEquals(Optional.of("set-in-rewrite"), shared().getString("probe_rw"));
    assertEquals(OptionalLong.of(42), shared().getLong("probe_access"));
    assertEquals(OptionalDouble.of(0.5), shared().getDouble("ratio"));
    assertEquals(Optional.of(true), shared().getBoolean("flag"));
    assertEquals(Optional.of(List.of("a")), shared().get("list"));
    assertEquals(Optional.empty(), shared().get("never_set"));
    assertEquals(OptionalLong.empty(), shared().getLong("never_set"));
    bridge.verify();
  }

  @Test
  void aValueOfAnotherTypeIsAnErrorNamingTheFunction() {
    bridge.expect("kong.ctx.shared.get", "probe_access").returns(42L);
    PdkException e = assertThrows(PdkException.class, () -> shared().getString("probe_access"));
    assertEquals("kong.ctx.shared.get", e.method());
  }

  @Test
  void setSendsTheValueOrOnlyTheKeyToRemove() {
    bridge.expect("kong.ctx.shared.set", "probe_rw", "set-in-rewrite").returnsNothing()
        .expect("kong.ctx.shared.set", "n", 7L).returnsNothing()
        .expect("kong.ctx.shared.set", "gone").returnsNothing();
    shared().set("probe_rw", "set-in-rewrite");
    shared().set("n", 7);
    shared().set("gone", null);
    bridge.verify();
  }
}
