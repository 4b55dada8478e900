package dev.kongpdk.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.Kong;
import dev.kongpdk.PdkException;
import dev.kongpdk.testkit.MockBridge;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What each kind of method does when Kong answers nothing (a 3.x failure, or a function this Kong
 * lacks) and when Kong 2.8 reports the failure with {@code plugin.StepError}.
 */
class AbsentAndFailedResultsTest {

  private static Arguments call(String lua, Object[] args, Function<Kong, Object> javaCall) {
    return Arguments.of(lua, args, javaCall);
  }

  private static Arguments act(String lua, Object[] args, Consumer<Kong> javaCall) {
    return Arguments.of(lua, args, javaCall);
  }

  private static Object[] none() {
    return new Object[0];
  }

  /** Values Kong always has when the call succeeds. */
  static Stream<Arguments> requiredValues() {
    return Stream.of(
        call("kong.request.get_scheme", none(), k -> k.request().getScheme()),
        call("kong.request.get_host", none(), k -> k.request().getHost()),
        call("kong.request.get_port", none(), k -> k.request().getPort()),
        call("kong.request.get_forwarded_scheme", none(), k -> k.request().getForwardedScheme()),
        call("kong.request.get_forwarded_host", none(), k -> k.request().getForwardedHost()),
        call("kong.request.get_forwarded_port", none(), k -> k.request().getForwardedPort()),
        call("kong.request.get_forwarded_path", none(), k -> k.request().getForwardedPath()),
        call("kong.request.get_method", none(), k -> k.request().getMethod()),
        call("kong.request.get_path", none(), k -> k.request().getPath()),
        call("kong.request.get_raw_path", none(), k -> k.request().getRawPath()),
        call("kong.request.get_path_with_query", none(), k -> k.request().getPathWithQuery()),
        call("kong.request.get_raw_query", none(), k -> k.request().getRawQuery()),
        call("kong.response.get_status", none(), k -> k.response().getStatus()),
        call("kong.response.get_source", none(), k -> k.response().getSource()),
        call("kong.client.get_ip", none(), k -> k.client().getIp()),
        call("kong.client.get_forwarded_ip", none(), k -> k.client().getForwardedIp()),
        call("kong.client.get_port", none(), k -> k.client().getPort()),
        call("kong.client.get_forwarded_port", none(), k -> k.client().getForwardedPort()),
        call("kong.node.get_id", none(), k -> k.node().getId()),
        call("kong.node.get_hostname", none(), k -> k.node().getHostname()),
        call("kong.node.get_memory_stats", none(), k -> k.node().getMemoryStats()),
        call("kong.nginx.get_subsystem", none(), k -> k.nginx().getSubsystem()),
        call("kong.nginx.get_statistics", none(), k -> k.nginx().getStatistics()),
        call("kong.nginx.req_start_time", none(), k -> k.nginx().reqStartTime()),
        call("kong.ip.is_trusted", new Object[] {"10.0.0.1"}, k -> k.ip().isTrusted("10.0.0.1")),
        call("kong.vault.is_reference", new Object[] {"x"}, k -> k.vault().isReference("x")),
        call("kong.log.serialize", none(), k -> k.log().serialize()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requiredValues")
  void aRequiredValueThatKongDoesNotSendIsAnErrorNamingTheFunction(
      String lua, Object[] args, Function<Kong, Object> javaCall) {
    MockBridge bridge = new MockBridge().expect(lua, args).returnsNothing();
    PdkException e = assertThrows(PdkException.class, () -> javaCall.apply(bridge.kong()));
    assertEquals(lua, e.method());
    assertTrue(e.getMessage().contains("got nothing"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requiredValues")
  void aKong28StepErrorCarriesKongsMessage(String lua, Object[] args, Function<Kong, Object> javaCall) {
    MockBridge bridge = new MockBridge().expect(lua, args).fails("some failure");
    PdkException e = assertThrows(PdkException.class, () -> javaCall.apply(bridge.kong()));
    assertEquals(lua + ": some failure", e.getMessage());
  }

  /** Lua functions that return {@code true} on success and {@code nil, err} on failure. */
  static Stream<Arguments> trueOnSuccess() {
    return Stream.of(
        act("kong.service.set_upstream", new Object[] {"u"}, k -> k.service().setUpstream("u")),
        act("kong.service.set_tls_verify", new Object[] {true}, k -> k.service().setTlsVerify(true)),
        act("kong.service.set_tls_verify_depth", new Object[] {1L}, k -> k.service().setTlsVerifyDepth(1)),
        act("kong.service.request.set_body", new Object[] {Map.of("a", "b")},
            k -> k.service().request().setBody(Map.of("a", "b"))),
        act("kong.service.request.enable_tls", none(), k -> k.service().request().enableTls()),
        act("kong.service.request.disable_tls", none(), k -> k.service().request().disableTls()),
        act("kong.client.tls.request_client_certificate", none(),
            k -> k.client().tls().requestClientCertificate()),
        act("kong.client.tls.disable_session_reuse", none(), k -> k.client().tls().disableSessionReuse()),
        act("kong.telemetry.log", new Object[] {"p", Map.of(), "t", "m", Map.of()},
            k -> k.telemetry().log("p", Map.of(), "t", "m", Map.of())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("trueOnSuccess")
  void trueIsSuccess(String lua, Object[] args, Consumer<Kong> javaCall) {
    MockBridge bridge = new MockBridge().expect(lua, args).returns(true);
    assertDoesNotThrow(() -> javaCall.accept(bridge.kong()));
    bridge.verify();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("trueOnSuccess")
  void nothingIsAFailureOnKong3(String lua, Object[] args, Consumer<Kong> javaCall) {
    MockBridge bridge = new MockBridge().expect(lua, args).returnsNothing();
    PdkException e = assertThrows(PdkException.class, () -> javaCall.accept(bridge.kong()));
    assertEquals(lua, e.method());
    assertTrue(e.getMessage().contains("without a reason"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("trueOnSuccess")
  void aStepErrorIsAFailureWithKongsMessageOnKong28(String lua, Object[] args, Consumer<Kong> javaCall) {
    MockBridge bridge = new MockBridge().expect(lua, args).fails("refused");
    assertEquals(lua + ": refused",
        assertThrows(PdkException.class, () -> javaCall.accept(bridge.kong())).getMessage());
  }

  /** Results that may legitimately be absent read as empty. */
  static Stream<Arguments> emptyWhenAbsent() {
    return Stream.of(
        call("kong.request.get_headers", none(), k -> k.request().getHeaders().isEmpty()),
        call("kong.request.get_query", none(), k -> k.request().getQuery().isEmpty()),
        call("kong.request.get_header", new Object[] {"h"}, k -> k.request().getHeader("h").isEmpty()),
        call("kong.request.get_raw_body", none(), k -> k.request().getRawBody().isEmpty()),
        call("kong.request.get_body", none(), k -> k.request().getBody().isEmpty()),
        call("kong.response.get_headers", none(), k -> k.response().getHeaders().isEmpty()),
        call("kong.response.get_header", new Object[] {"h"}, k -> k.response().getHeader("h").isEmpty()),
        call("kong.service.response.get_headers", none(), k -> k.service().response().getHeaders().isEmpty()),
        call("kong.service.response.get_status", none(), k -> k.service().response().getStatus().isEmpty()),
        call("kong.service.response.get_raw_body", none(), k -> k.service().response().getRawBody().isEmpty()),
        call("kong.client.get_consumer", none(), k -> k.client().getConsumer().isEmpty()),
        call("kong.client.get_credential", none(), k -> k.client().getCredential().isEmpty()),
        call("kong.client.get_protocol", none(), k -> k.client().getProtocol().isEmpty()),
        call("kong.router.get_route", none(), k -> k.router().getRoute().isEmpty()),
        call("kong.router.get_service", none(), k -> k.router().getService().isEmpty()),
        call("kong.plugin.get_id", none(), k -> k.plugin().getId().isEmpty()),
        call("kong.cluster.get_id", none(), k -> k.cluster().getId().isEmpty()),
        call("kong.vault.get", new Object[] {"r"}, k -> k.vault().get("r").isEmpty()),
        call("kong.vault.update", new Object[] {Map.of()}, k -> k.vault().update(Map.of()).isEmpty()),
        call("kong.nginx.get_var", new Object[] {"v"}, k -> k.nginx().getVar("v").isEmpty()),
        call("kong.ctx.shared.get", new Object[] {"k"}, k -> k.ctx().shared().get("k").isEmpty()),
        call("kong.request.get_start_time", none(), k -> k.request().getStartTime().isEmpty()),
        call("kong.request.get_uri_captures", none(), k -> k.request().getUriCaptures().unnamed().isEmpty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("emptyWhenAbsent")
  void anAbsentResultReadsAsEmpty(String lua, Object[] args, Function<Kong, Object> isEmpty) {
    MockBridge bridge = new MockBridge().expect(lua, args).returnsNothing();
    assertEquals(true, isEmpty.apply(bridge.kong()));
    bridge.verify();
  }
}
