package dev.kongpdk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.PdkException;
import dev.kongpdk.Service;
import dev.kongpdk.testkit.MockBridge;
import org.junit.jupiter.api.Test;

class ServiceTest {

  private final MockBridge bridge = new MockBridge();

  private Service service() {
    return bridge.kong().service();
  }

  @Test
  void setUpstreamSucceedsWhenKongAnswersTrue() {
    bridge.expect("kong.service.set_upstream", "my-upstream").returns(true);
    service().setUpstream("my-upstream");
    bridge.verify();
  }

  @Test
  void setUpstreamFailureCarriesKongsMessageOn28() {
    bridge.expect("kong.service.set_upstream", "no-such-upstream")
        .fails("could not find an Upstream named 'no-such-upstream'");
    PdkException e = assertThrows(PdkException.class, () -> service().setUpstream("no-such-upstream"));
    assertEquals("kong.service.set_upstream: could not find an Upstream named 'no-such-upstream'",
        e.getMessage());
  }

  @Test
  void setUpstreamFailureIsReportedOn3xWhereKongAnswersNothing() {
    bridge.expect("kong.service.set_upstream", "no-such-upstream").returnsNothing();
    PdkException e = assertThrows(PdkException.class, () -> service().setUpstream("no-such-upstream"));
    assertEquals("kong.service.set_upstream", e.method());
    assertTrue(e.getMessage().contains("without a reason"), e.getMessage());
  }

  @Test
  void targetRetriesAndTimeoutsSendIntegers() {
    bridge.expect("kong.service.set_target", "127.0.0.1", 18201L).returnsNothing()
        .expect("kong.service.set_retries", 3L).returnsNothing()
        .expect("kong.service.set_timeouts", 1000L, 2000L, 3000L).returnsNothing();
    service().setTarget("127.0.0.1", 18201);
    service().setRetries(3);
    service().setTimeouts(1000, 2000, 3000);
    bridge.verify();
  }

  @Test
  void tlsVerificationSettersRequireKongsTrue() {
    bridge.expect("kong.service.set_tls_verify", true).returns(true)
        .expect("kong.service.set_tls_verify_depth", 2L).returns(true)
        .expect("kong.service.set_tls_verify", false).returnsNothing()
        .expect("kong.service.set_tls_verify_depth", 3L).fails("unsupported");
    service().setTlsVerify(true);
    service().setTlsVerifyDepth(2);
    assertThrows(PdkException.class, () -> service().setTlsVerify(false));
    assertEquals("kong.service.set_tls_verify_depth: unsupported",
        assertThrows(PdkException.class, () -> service().setTlsVerifyDepth(3)).getMessage());
    bridge.verify();
  }
}
