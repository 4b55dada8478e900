package dev.kongpdk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kongpdk.PdkException;
import dev.kongpdk.ServiceRequest;
import dev.kongpdk.testkit.MockBridge;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceRequestTest {

  private final MockBridge bridge = new MockBridge();

  private ServiceRequest upstream() {
    return bridge.kong().service().request();
  }

  @Test
  void simpleSettersSendOneString() {
    bridge.expect("kong.service.request.enable_buffering").returnsNothing()
        .expect("kong.service.request.set_scheme", "https").returnsNothing()
        .expect("kong.service.request.set_path", "/probe-upstream/path").returnsNothing()
        .expect("kong.service.request.set_raw_query", "raw=1&raw=2").returnsNothing()
        .expect("kong.service.request.set_method", "PUT").returnsNothing()
        .expect("kong.service.request.clear_query_arg", "debug").returnsNothing();
    ServiceRequest upstream = upstream();
    upstream.enableBuffering();
    upstream.setScheme("https");
    upstream.setPath("/probe-upstream/path");
    upstream.setRawQuery("raw=1&raw=2");
    upstream.setMethod("PUT");
    upstream.clearQueryArg("debug");
    bridge.verify();
  }

  @Test
  void setQuerySendsFlagsAsTrueAndRepeatedArgsAsArrays() {
    Map<String, List<String>> args = new LinkedHashMap<>();
    args.put("q", List.of("1"));
    args.put("arr", List.of("x", "y"));
    args.put("flag", List.of());
    bridge.expect("kong.service.request.set_query", Map.of("q", "1", "arr", List.of("x", "y"), "flag", true))
        .returnsNothing();
    upstream().setQuery(args);
    bridge.verify();
  }

  @Test
  void headerSettersSendKongsShapes() {
    bridge.expect("kong.service.request.set_header", "X-Probe-Rewrite-Up", "1").returnsNothing()
        .expect("kong.service.request.set_headers", Map.of("X-Many", List.of("a", "b"))).returnsNothing()
        .expect("kong.service.request.add_header", "X-Probe-Up-Multi", "one").returnsNothing()
        .expect("kong.service.request.clear_header", "X-Probe-Remove").returnsNothing()
        .expect("kong.service.request.set_headers",
            Map.of("X-Probe-Up-A", "a", "X-Probe-Up-B", List.of("b1", "b2"))).returnsNothing();
    ServiceRequest upstream = upstream();
    upstream.setHeader("X-Probe-Rewrite-Up", "1");
    upstream.setHeader("X-Many", List.of("a", "b"));
    upstream.addHeader("X-Probe-Up-Multi", "one");
    upstream.clearHeader("X-Probe-Remove");
    upstream.setHeaders(Map.of("X-Probe-Up-A", List.of("a"), "X-Probe-Up-B", List.of("b1", "b2")));
    bridge.verify();
  }

  @Test
  void rawBodyIsSentAsBytesOrText() {
    byte[] bytes = {0, (byte) 0xff};
    bridge.expect("kong.service.request.set_raw_body", (Object) bytes).returnsNothing()
        .expect("kong.service.request.set_raw_body", "probe upstream body").returnsNothing();
    upstream().setRawBody(bytes);
    upstream().setRawBody("probe upstream body");
    bridge.verify();
  }

  @Test
  void setBodySendsPlainValuesAndReportsFailures() {
    bridge.expect("kong.service.request.set_body", Map.of("n", 1L, "list", List.of("a"))).returns(true)
        .expect("kong.service.request.set_body", Map.of("a", "b"), "application/json").returns(true)
        .expect("kong.service.request.set_body", Map.of("a", "b")).fails("unsupported content type");
    upstream().setBody(Map.of("n", 1, "list", List.of("a")));
    upstream().setBody(Map.of("a", "b"), "application/json");
    assertEquals("kong.service.request.set_body: unsupported content type",
        assertThrows(PdkException.class, () -> upstream().setBody(Map.of("a", "b"))).getMessage());
    bridge.verify();
  }

  @Test
  void valuesWithoutALuaCounterpartAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> upstream().setBody(Map.of("when", new Object())));
    assertEquals(true, e.getMessage().contains("java.lang.Object"));
    assertEquals(List.of(), bridge.calls());
  }

  @Test
  void tlsSwitchesRequireKongsTrue() {
    bridge.expect("kong.service.request.enable_tls").returns(true)
        .expect("kong.service.request.disable_tls").returnsNothing();
    upstream().enableTls();
    assertThrows(PdkException.class, () -> upstream().disableTls());
    bridge.verify();
  }
}
