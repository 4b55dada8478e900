package dev.kongpdk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.PdkException;
import dev.kongpdk.entity.Route;
import dev.kongpdk.entity.Service;
import dev.kongpdk.testkit.MockBridge;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RouterTest {

  // Kong 3.9.3, probe-01 (StepRoute / StepService)
  private static final String ROUTE_39 = """
      {"created_at": 1795689784, "updated_at": 1795689784, "regex_priority": 0, "preserve_host": false,
       "ws_id": "00000000-0000-4000-8000-0000000000ff", "https_redirect_status_code": 426,
       "strip_path": true, "path_handling": "v0", "id": "00000000-0000-4000-8000-020000000001",
       "paths": ["/probe"], "protocols": ["http", "https"], "request_buffering": true,
       "service": {"id": "00000000-0000-4000-8000-010000000001"}, "response_buffering": true,
       "name": "route1"}""";
  private static final String SERVICE_28 = """
      {"id": "00000000-0000-4000-8000-010000000001", "name": "echo1",
       "ws_id": "00000000-0000-4000-8000-0000000000ff", "protocol": "http", "host": "127.0.0.1",
       "port": 18201, "enabled": true, "read_timeout": 60000, "created_at": 1795689807,
       "updated_at": 1795689807, "write_timeout": 60000, "retries": 5, "connect_timeout": 60000}""";

  private final MockBridge bridge = new MockBridge();

  @Test
  void routeDecodesKongsPayload() {
    bridge.expect("kong.router.get_route").returns(Json.parse(ROUTE_39));
    Route route = bridge.kong().router().getRoute().orElseThrow();
    assertEquals("00000000-0000-4000-8000-020000000001", route.id());
    assertEquals(Optional.of("route1"), route.name());
    assertEquals(List.of("http", "https"), route.protocols());
    assertEquals(List.of("/probe"), route.paths());
    assertEquals(List.of(), route.hosts());
    assertEquals(OptionalLong.of(426), route.httpsRedirectStatusCode());
    assertTrue(route.stripPath());
    assertFalse(route.preserveHost());
    assertEquals(Optional.of("v0"), route.pathHandling());
    assertEquals(Optional.of("00000000-0000-4000-8000-010000000001"), route.serviceId());
    assertEquals(Optional.of("00000000-0000-4000-8000-0000000000ff"), route.workspaceId());
    assertEquals(OptionalLong.of(1795689784L), route.createdAt());
    assertEquals("route1", route.fields().get("name"));
  }

  @Test
  void routeToleratesMissingNullUnknownAndEmptyTableFields() {
    Map<String, Object> sparse = new HashMap<>();
    sparse.put("id", "r1");
    sparse.put("name", null);
    sparse.put("hosts", List.of());
    sparse.put("headers", List.of()); // an empty Lua table
    sparse.put("expression", "http.path == \"/\""); // unknown to this record
    sparse.put("snis", Map.of()); // empty table packed as a map by another packer
    bridge.expect("kong.router.get_route").returns(sparse);
    Route route = bridge.kong().router().getRoute().orElseThrow();
    assertEquals(Optional.empty(), route.name());
    assertEquals(Map.of(), route.headers());
    assertEquals(List.of(), route.snis());
    assertTrue(route.stripPath(), "Kong's schema default");
    assertTrue(route.requestBuffering(), "Kong's schema default");
    assertEquals(Optional.empty(), route.serviceId());
    assertEquals("http.path == \"/\"", route.fields().get("expression"));
  }

  @Test
  void routeHeadersAreCaseInsensitive() {
    bridge.expect("kong.router.get_route")
        .returns(Map.of("id", "r", "headers", Map.of("x-version", List.of("1", "2"))));
    assertEquals(List.of("1", "2"), bridge.kong().router().getRoute().orElseThrow().headers().get("X-Version"));
  }

  @Test
  void noRouteIsEmpty() {
    bridge.expect("kong.router.get_route").returnsNothing()
        .expect("kong.router.get_service").returnsNothing();
    assertEquals(Optional.empty(), bridge.kong().router().getRoute());
    assertEquals(Optional.empty(), bridge.kong().router().getService());
  }

  @Test
  void serviceDecodesKongsPayload() {
    bridge.expect("kong.router.get_service").returns(Json.parse(SERVICE_28));
    Service service = bridge.kong().router().getService().orElseThrow();
    assertEquals("00000000-0000-4000-8000-010000000001", service.id());
    assertEquals(Optional.of("echo1"), service.name());
    assertEquals("http", service.protocol());
    assertEquals("127.0.0.1", service.host());
    assertEquals(18201, service.port());
    assertEquals(5, service.retries());
    assertEquals(60000, service.connectTimeout());
    assertEquals(60000, service.readTimeout());
    assertEquals(60000, service.writeTimeout());
    assertTrue(service.enabled());
    assertEquals(Optional.empty(), service.path());
    assertEquals(Optional.empty(), service.tlsVerify());
    assertEquals(OptionalLong.of(1795689807L), service.updatedAt());
  }

  @Test
  void serviceReadsNestedCertificateAndDefaults() {
    bridge.expect("kong.router.get_service").returns(Map.of("id", "s", "host", "up",
        "client_certificate", Map.of("id", "cert-1"), "tls_verify", true, "tls_verify_depth", 2,
        "ca_certificates", List.of("ca-1"), "path", "/v1"));
    Service service = bridge.kong().router().getService().orElseThrow();
    assertEquals(Optional.of("cert-1"), service.clientCertificateId());
    assertEquals(Optional.of(true), service.tlsVerify());
    assertEquals(OptionalLong.of(2), service.tlsVerifyDepth());
    assertEquals(List.of("ca-1"), service.caCertificates());
    assertEquals(Optional.of("/v1"), service.path());
    assertEquals(80, service.port(), "Kong's schema default");
    assertEquals(5, service.retries(), "Kong's schema default");
  }

  @Test
  void aFieldOfTheWrongTypeIsAnErrorNamingTheFunctionAndTheField() {
    bridge.expect("kong.router.get_service").returns(Map.of("id", "s", "port", "eighty"));
    PdkException e = assertThrows(PdkException.class,
        () -> bridge.kong().router().getService());
    assertEquals("kong.router.get_service", e.method());
    assertEquals("kong.router.get_service: field 'port': expected a number from Kong but got String eighty",
        e.getMessage());
  }
}
