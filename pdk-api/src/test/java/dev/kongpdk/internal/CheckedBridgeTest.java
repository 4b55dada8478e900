package dev.kongpdk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.Bridge;
import dev.kongpdk.Kong;
import dev.kongpdk.PdkException;
import dev.kongpdk.plugin.InstanceInfo;
import dev.kongpdk.plugin.KongVersion;
import dev.kongpdk.plugin.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CheckedBridgeTest {

  /** Records what reaches Kong; answers "ok" to everything. */
  private final List<String> sent = new ArrayList<>();
  private final Bridge kong = (method, args) -> {
    sent.add(method);
    return "ok";
  };

  private Kong pdk(Phase phase, KongVersion version) {
    return Kong.over(kong, phase, version);
  }

  @Test
  void aSetterInTheLogPhaseIsRefusedBeforeAnythingIsSent() {
    PdkException e = assertThrows(PdkException.class, () -> pdk(Phase.LOG, KongVersion.KONG_3).response().setStatus(500));
    assertEquals("kong.response.set_status", e.method());
    assertTrue(e.getMessage().contains(CheckedBridge.NOT_SENT + "Kong does not answer it in an external plugin's log phase"
        + " (only in: rewrite, access, response)"), e.getMessage());
    assertEquals(List.of(), sent);
  }

  @Test
  void aLiveRequestReadInTheLogPhaseIsRefusedButSavedDataIsRead() {
    Kong log = pdk(Phase.LOG, KongVersion.KONG_3);
    assertThrows(PdkException.class, () -> log.request().getMethod());
    assertEquals(Optional.of("ok"), log.request().getHeader("x"));
    assertEquals(List.of("kong.request.get_header"), sent);
  }

  @Test
  void aCallOutsideItsPhasesIsRefusedInRequestPhasesToo() {
    PdkException e = assertThrows(PdkException.class, () -> pdk(Phase.ACCESS, KongVersion.KONG_3).response().getStatus());
    assertTrue(e.getMessage().contains("Kong does not allow it in the access phase (only in: response, log)"), e.getMessage());
    assertEquals(List.of(), sent);
  }

  @Test
  void functionsKong2LacksAreRefusedOnKong2Only() {
    PdkException e = assertThrows(PdkException.class, () -> pdk(Phase.ACCESS, KongVersion.KONG_2).plugin().getId());
    assertTrue(e.getMessage().contains("Kong 2.x has no kong.plugin.get_id (it came with Kong 3)"), e.getMessage());
    assertEquals(Optional.of("ok"), pdk(Phase.ACCESS, KongVersion.KONG_3).plugin().getId());
    assertEquals(Optional.of("ok"), pdk(Phase.ACCESS, KongVersion.UNKNOWN).plugin().getId());
    assertEquals(List.of("kong.plugin.get_id", "kong.plugin.get_id"), sent);
  }

  @Test
  void kong2AnswersOnlySavedDataAndUncheckedFunctionsInTheLogPhase() {
    Kong log = pdk(Phase.LOG, KongVersion.KONG_2);
    PdkException e = assertThrows(PdkException.class, () -> log.client().getConsumer());
    assertTrue(e.getMessage().contains("Kong 2.x runs an external plugin's log handler without a request phase"), e.getMessage());
    log.request().getHeader("x");
    log.log().notice("hi");
    log.ctx().shared().get("k");
    assertEquals(List.of("kong.request.get_header", "kong.log.notice", "kong.ctx.shared.get"), sent);
  }

  @Test
  void theRawEscapeHatchIsCheckedForKnownFunctionsOnly() {
    Kong log = pdk(Phase.LOG, KongVersion.KONG_3);
    assertThrows(PdkException.class, () -> log.call("kong.response.set_status", 200));
    assertEquals(Optional.of("ok"), log.call("kong.some.future_function", 1));
    assertEquals(List.of("kong.some.future_function"), sent);
  }

  @Test
  void withoutAPhaseNothingIsChecked() {
    Kong.over(kong).response().setStatus(500);
    assertEquals(List.of("kong.response.set_status"), sent);
  }

  @Test
  void theKongVersionComesFromThePluginIdInTheConfig() {
    InstanceInfo none = new InstanceInfo(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty());
    InstanceInfo withId = new InstanceInfo(Optional.of("p"), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty());
    assertEquals(KongVersion.KONG_2, KongVersion.of(none));
    assertEquals(KongVersion.KONG_3, KongVersion.of(withId));
    assertTrue(KongVersion.KONG_2.has(""));
    assertTrue(KongVersion.KONG_2.has("2.8"));
    assertTrue(!KongVersion.KONG_2.has("3.1"));
    assertTrue(KongVersion.KONG_3.has("3.1"));
  }

  @Test
  void everyTypedFunctionHasOneConsistentRule() {
    CallRules.Rule rule = CallRules.rule("kong.response.set_headers");
    assertEquals(java.util.Set.of(Phase.REWRITE, Phase.ACCESS, Phase.RESPONSE), rule.phases());
    assertEquals(null, CallRules.rule("kong.not.typed"));
  }
}
