package dev.kongpdk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kongpdk.Nginx;
import dev.kongpdk.PdkException;
import dev.kongpdk.entity.NginxStatistics;
import dev.kongpdk.testkit.MockBridge;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class NginxTest {

  private final MockBridge bridge = new MockBridge();

  private Nginx nginx() {
    return bridge.kong().nginx();
  }

  @Test
  void subsystemVarAndTlsVersion() {
    bridge.expect("kong.nginx.get_subsystem").returns("http")
        .expect("kong.nginx.get_var", "request_uri").returns("/probe/get?x=1")
        .expect("kong.nginx.get_var", "ssl_protocol").returnsNothing()
        .expect("kong.nginx.get_tls1_version_str").returns("TLSv1.3")
        .expect("kong.nginx.get_tls1_version_str").returnsNothing();
    assertEquals("http", nginx().getSubsystem());
    assertEquals(Optional.of("/probe/get?x=1"), nginx().getVar("request_uri"));
    assertEquals(Optional.empty(), nginx().getVar("ssl_protocol"));
    assertEquals(Optional.of("TLSv1.3"), nginx().getTls1VersionStr());
    assertEquals(Optional.empty(), nginx().getTls1VersionStr());
    bridge.verify();
  }

  @Test
  void statisticsDecode() {
    bridge.expect("kong.nginx.get_statistics").returns(Map.of("connections_active", 3,
        "connections_reading", 0, "connections_writing", 1, "connections_waiting", 2,
        "connections_accepted", 10, "connections_handled", 10, "total_requests", 42));
    assertEquals(new NginxStatistics(3, 0, 1, 2, 10, 10, 42), nginx().getStatistics());
  }

  @Test
  void ctxReadsRawAndTypedValues() {
    bridge.expect("kong.nginx.get_ctx", "KONG_PROCESSING_START").returns(1795689785573L)
        .expect("kong.nginx.get_ctx", "KONG_ACCESS_START").returns(1795689785573.0)
        .expect("kong.nginx.get_ctx", "probe_key").returns(Map.of("a", 1L, "b", List.of(true, "x"), "c", 2.5))
        .expect("kong.nginx.get_ctx", "name").returns("x")
        .expect("kong.nginx.get_ctx", "ratio").returns(2L)
        .expect("kong.nginx.get_ctx", "unset").returnsNothing();
    assertEquals(OptionalLong.of(1795689785573L), nginx().getCtxLong("KONG_PROCESSING_START"));
    assertEquals(OptionalLong.of(1795689785573L), nginx().getCtxLong("KONG_ACCESS_START"));
    assertEquals(Optional.of(Map.of("a", 1L, "b", List.of(true, "x"), "c", 2.5)), nginx().getCtx("probe_key"));
    assertEquals(Optional.of("x"), nginx().getCtxString("name"));
    assertEquals(OptionalDouble.of(2.0), nginx().getCtxDouble("ratio"));
    assertEquals(Optional.empty(), nginx().getCtx("unset"));
    bridge.verify();
  }

  @Test
  void ctxOfTheWrongTypeIsAnError() {
    bridge.expect("kong.nginx.get_ctx", "name").returns("x");
    assertEquals("kong.nginx.get_ctx", assertThrows(PdkException.class, () -> nginx().getCtxLong("name")).method());
  }

  @Test
  void setCtxSendsPlainValuesAndNullAsATrailingNil() {
    bridge.expect("kong.nginx.set_ctx", "probe_key", Map.of("a", 1L, "b", List.of(true, "x"), "c", 2.5))
        .returnsNothing()
        .expect("kong.nginx.set_ctx", "probe_key").returnsNothing();
    nginx().setCtx("probe_key", Map.of("a", 1, "b", List.of(true, "x"), "c", 2.5f));
    nginx().setCtx("probe_key", null);
    bridge.verify();
    assertEquals(1L, ((Map<?, ?>) bridge.calls().get(0).args().get(1)).get("a"), "sent as Long");
  }

  @Test
  void reqStartTimeIsSeconds() {
    bridge.expect("kong.nginx.req_start_time").returns(1795689785.573)
        .expect("kong.nginx.req_start_time").returns(1795689785L);
    assertEquals(1795689785.573, nginx().reqStartTime());
    assertEquals(1795689785.0, nginx().reqStartTime());
  }
}
