package dev.kongpdk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kongpdk.PdkException;
import dev.kongpdk.Response;
import dev.kongpdk.testkit.MockBridge;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResponseTest {

  private final MockBridge bridge = new MockBridge();

  private Response response() {
    return bridge.kong().response();
  }

  @Test
  void gettersDecodeStatusHeadersAndSource() {
    bridge.expect("kong.response.get_status").returns(200L)
        .expect("kong.response.get_header", "server").returns("nginx")
        .expect("kong.response.get_header", "x-none").returnsNothing()
        .expect("kong.response.get_headers")
        .returns(Map.of("connection", List.of("keep-alive"), "x-probe", List.of("1", "2")))
        .expect("kong.response.get_headers", 3L).returns(Map.of())
        .expect("kong.response.get_source").returns("service");
    Response response = response();
    assertEquals(200, response.getStatus());
    assertEquals(Optional.of("nginx"), response.getHeader("server"));
    assertEquals(Optional.empty(), response.getHeader("x-none"));
    assertEquals(List.of("1", "2"), response.getHeaders().get("X-Probe"));
    assertEquals(Map.of(), response.getHeaders(3));
    assertEquals("service", response.getSource());
    bridge.verify();
  }

  @Test
  void statusThatKongDoesNotSendIsAnError() {
    bridge.expect("kong.response.get_status").returnsNothing();
    assertEquals("kong.response.get_status",
        assertThrows(PdkException.class, () -> response().getStatus()).method());
  }

  @Test
  void settersSendKongsArgumentShapes() {
    bridge.expect("kong.response.set_status", 201L).returnsNothing()
        .expect("kong.response.set_header", "X-One", "1").returnsNothing()
        .expect("kong.response.set_headers", Map.of("X-Many", List.of("a", "b"))).returnsNothing()
        .expect("kong.response.add_header", "X-Probe-Multi", "one").returnsNothing()
        .expect("kong.response.clear_header", "X-Gone").returnsNothing()
        .expect("kong.response.set_headers", Map.of("X-Probe-A", "a", "X-Probe-B", List.of("b1", "b2")))
        .returnsNothing();
    Response response = response();
    response.setStatus(201);
    response.setHeader("X-One", "1");
    response.setHeader("X-Many", List.of("a", "b"));
    response.addHeader("X-Probe-Multi", "one");
    response.clearHeader("X-Gone");
    response.setHeaders(Map.of("X-Probe-A", List.of("a"), "X-Probe-B", List.of("b1", "b2")));
    bridge.verify();
  }

  @Test
  void exitSendsStatusBodyAndHeadersWithoutNilHoles() {
    bridge.expect("kong.response.exit", 204L).returnsNothing()
        .expect("kong.response.exit", 403L, "denied").returnsNothing()
        .expect("kong.response.exit", 403L, Map.of("message", "denied by hello plugin"),
            Map.of("X-Hello-Denied", "1")).returnsNothing()
        .expect("kong.response.exit", 401L, "", Map.of("WWW-Authenticate", "Basic")).returnsNothing()
        .expect("kong.response.exit", 200L, new byte[] {1, 2}).returnsNothing()
        .expect("kong.response.exit", 500L).returnsNothing();
    Response response = response();
    response.exit(204);
    response.exit(403, "denied");
    response.exit(403, Map.of("message", "denied by hello plugin"), Map.of("X-Hello-Denied", "1"));
    response.exit(401, null, Map.of("WWW-Authenticate", "Basic"));
    response.exit(200, new byte[] {1, 2}, Map.of());
    response.exit(500, null, null);
    bridge.verify();
  }

  @Test
  void errorSendsStatusMessageAndHeaders() {
    bridge.expect("kong.response.error", 404L).returnsNothing()
        .expect("kong.response.error", 429L, "slow down").returnsNothing()
        .expect("kong.response.error", 429L, "slow down", Map.of("Retry-After", "1")).returnsNothing()
        .expect("kong.response.error", 503L, "busy").returnsNothing();
    Response response = response();
    response.error(404);
    response.error(429, "slow down");
    response.error(429, "slow down", Map.of("Retry-After", "1"));
    response.error(503, "busy", Map.of());
    bridge.verify();
  }

  @Test
  void nullArgumentsAreRejectedBeforeAnythingIsSent() {
    assertThrows(IllegalArgumentException.class, () -> response().setHeader("X", (String) null));
    assertThrows(IllegalArgumentException.class, () -> response().error(500, null));
    assertEquals(List.of(), bridge.calls());
  }
}
