package dev.kongpdk.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.PdkException;
import dev.kongpdk.Request;
import dev.kongpdk.testkit.MockBridge;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

@SuppressWarnings("unchecked")
class RequestTest {

  private final MockBridge bridge = new MockBridge();

  private Request request() {
    return bridge.kong().request();
  }

  @Test
  void stringGettersCallTheirLuaFunctionWithoutArguments() {
    bridge.expect("kong.request.get_scheme").returns("http")
        .expect("kong.request.get_host").returns("127.0.0.1")
        .expect("kong.request.get_forwarded_scheme").returns("https")
        .expect("kong.request.get_forwarded_host").returns("example.com")
        .expect("kong.request.get_forwarded_path").returns("/fwd")
        .expect("kong.request.get_method").returns("GET")
        .expect("kong.request.get_path").returns("/probe/get")
        .expect("kong.request.get_raw_path").returns("/probe//get")
        .expect("kong.request.get_path_with_query").returns("/probe/get?x=1")
        .expect("kong.request.get_raw_query").returns("x=1");
    Request request = request();
    assertEquals("http", request.getScheme());
    assertEquals("127.0.0.1", request.getHost());
    assertEquals("https", request.getForwardedScheme());
    assertEquals("example.com", request.getForwardedHost());
    assertEquals("/fwd", request.getForwardedPath());
    assertEquals("GET", request.getMethod());
    assertEquals("/probe/get", request.getPath());
    assertEquals("/probe//get", request.getRawPath());
    assertEquals("/probe/get?x=1", request.getPathWithQuery());
    assertEquals("x=1", request.getRawQuery());
    bridge.verify();
  }

  @Test
  void aRequiredValueThatKongDoesNotSendIsAnErrorNamingTheFunction() {
    bridge.expect("kong.request.get_scheme").returnsNothing();
    PdkException e = assertThrows(PdkException.class, () -> request().getScheme());
    assertEquals("kong.request.get_scheme", e.method());
    assertTrue(e.getMessage().contains("got nothing"), e.getMessage());
  }

  @Test
  void portsAcceptAnyIntegerWidth() {
    bridge.expect("kong.request.get_port").returns(18200L)
        .expect("kong.request.get_forwarded_port").returns((byte) 80);
    assertEquals(18200, request().getPort());
    assertEquals(80, request().getForwardedPort());
    bridge.verify();
  }

  @Test
  void forwardedPrefixIsEmptyWhenKongSendsNothing() {
    bridge.expect("kong.request.get_forwarded_prefix").returnsNothing()
        .expect("kong.request.get_forwarded_prefix").returns("/api");
    assertEquals(Optional.empty(), request().getForwardedPrefix());
    assertEquals(Optional.of("/api"), request().getForwardedPrefix());
  }

  @Test
  void httpVersionIsAFloatForHttp11AndAnIntegerForHttp10() {
    bridge.expect("kong.request.get_http_version").returns(1.1)
        .expect("kong.request.get_http_version").returns(1L)
        .expect("kong.request.get_http_version").returnsNothing();
    assertEquals(OptionalDouble.of(1.1), request().getHttpVersion());
    assertEquals(OptionalDouble.of(1.0), request().getHttpVersion());
    assertEquals(OptionalDouble.empty(), request().getHttpVersion());
  }

  @Test
  void queryArgReadsValuesFlagsAndAbsence() {
    bridge.expect("kong.request.get_query_arg", "x").returns("1")
        .expect("kong.request.get_query_arg", "flag").returns(true)
        .expect("kong.request.get_query_arg", "empty").returns("")
        .expect("kong.request.get_query_arg", "missing").returnsNothing();
    assertEquals(Optional.of("1"), request().getQueryArg("x"));
    assertEquals(Optional.of(""), request().getQueryArg("flag"));
    assertEquals(Optional.of(""), request().getQueryArg("empty"));
    assertEquals(Optional.empty(), request().getQueryArg("missing"));
    bridge.verify();
  }

  @Test
  void queryKeepsKongsShapesForRepeatedArgsFlagsAndEmptyValues() {
    // probe-02: ?a=1&a=2&flag&empty=
    bridge.expect("kong.request.get_query")
        .returns(Map.of("a", List.of("1", "2"), "flag", List.of(), "empty", List.of("")))
        .expect("kong.request.get_query", 5L).returns(Map.of("a", List.of(true, "1")));
    Map<String, List<String>> query = request().getQuery();
    assertEquals(List.of("1", "2"), query.get("a"));
    assertEquals(List.of(), query.get("flag"));
    assertEquals(List.of(""), query.get("empty"));
    assertEquals(Map.of("a", List.of("1")), request().getQuery(5));
    bridge.verify();
  }

  @Test
  void queryIsEmptyForAnEmptyMapAnEmptyArrayOrNothing() {
    bridge.expect("kong.request.get_query").returns(Map.of())
        .expect("kong.request.get_query").returns(List.of())
        .expect("kong.request.get_query").returnsNothing();
    assertEquals(Map.of(), request().getQuery());
    assertEquals(Map.of(), request().getQuery());
    assertEquals(Map.of(), request().getQuery());
  }

  @Test
  void headerLookupIsCaseInsensitiveAndKeepsValueOrder() {
    bridge.expect("kong.request.get_headers")
        .returns(Map.of("x-multi", List.of("one", "two"), "host", List.of("example.com")))
        .expect("kong.request.get_headers", 10L).returns(Map.of("accept", List.of("*/*")));
    Map<String, List<String>> headers = request().getHeaders();
    assertEquals(List.of("one", "two"), headers.get("X-Multi"));
    assertEquals(List.of("example.com"), headers.get("HOST"));
    assertEquals(List.of("*/*"), request().getHeaders(10).get("Accept"));
    assertThrows(UnsupportedOperationException.class, () -> headers.put("a", List.of()));
  }

  @Test
  void headerIsTheFirstValueOrEmpty() {
    bridge.expect("kong.request.get_header", "x-multi").returns("one")
        .expect("kong.request.get_header", "x-not-there").returnsNothing();
    assertEquals(Optional.of("one"), request().getHeader("x-multi"));
    assertEquals(Optional.empty(), request().getHeader("x-not-there"));
  }

  @Test
  void rawBodyIsBytesFromKong3BinAndKong28Str() {
    byte[] binary = {0x00, (byte) 0xff, (byte) 0xcf, (byte) 0x80, (byte) 0xc0, 0x01, 0x62, 0x69, 0x6e};
    bridge.expect("kong.request.get_raw_body").returns(binary)
        .expect("kong.request.get_raw_body").returns("text body")
        .expect("kong.request.get_raw_body").returns(new byte[0])
        .expect("kong.request.get_raw_body").returnsNothing()
        .expect("kong.request.get_raw_body", 1024L).returns("x");
    assertArrayEquals(binary, request().getRawBody().orElseThrow());
    assertArrayEquals("text body".getBytes(StandardCharsets.UTF_8), request().getRawBody().orElseThrow());
    assertArrayEquals(new byte[0], request().getRawBody().orElseThrow());
    assertEquals(Optional.empty(), request().getRawBody());
    assertArrayEquals(new byte[] {'x'}, request().getRawBody(1024).orElseThrow());
    bridge.verify();
  }

  @Test
  void rawBodyFailureOnKong28NamesTheFunction() {
    bridge.expect("kong.request.get_raw_body").fails("request body did not fit into client body buffer");
    PdkException e = assertThrows(PdkException.class, () -> request().getRawBody());
    assertEquals("kong.request.get_raw_body", e.method());
    assertTrue(e.getMessage().contains("did not fit"));
  }

  @Test
  void jsonBodyDecodesAsAMapWithEmptyTablesAsEmptyLists() {
    // probe-04: {"s":"v","i":1,"f":1.5,"big":1e3,"arr":[1,"x",true],"obj":{},"empty_arr":[]}
    Map<String, Object> kongBody = new LinkedHashMap<>();
    kongBody.put("s", "v");
    kongBody.put("i", 1L);
    kongBody.put("f", 1.5);
    kongBody.put("big", 1000L);
    kongBody.put("arr", List.of(1L, "x", true));
    kongBody.put("obj", List.of());
    kongBody.put("empty_arr", List.of());
    kongBody.put("k", null); // Kong 3.x packs JSON null as nil
    bridge.expect("kong.request.get_body").returns(kongBody);
    Map<String, Object> body = request().getBody().orElseThrow();
    assertEquals("v", body.get("s"));
    assertEquals(1L, body.get("i"));
    assertEquals(1.5, body.get("f"));
    assertEquals(1000L, body.get("big"));
    assertEquals(List.of(1L, "x", true), body.get("arr"));
    assertEquals(List.of(), body.get("obj"));
    assertTrue(!body.containsKey("k"));
  }

  @Test
  void nestedJsonNullsAreLeftOutOfObjectsAndKeptInArraysAndTheBodyIsUnmodifiable() {
    // probe-05 on Kong 3.9.3: {"k":null,"a":[1,null,2]}, plus a nested object
    List<Object> withHole = new ArrayList<>(Arrays.asList(1L, null, 2L));
    Map<String, Object> nested = new HashMap<>();
    nested.put("gone", null);
    nested.put("kept", "x");
    Map<String, Object> kongBody = new HashMap<>();
    kongBody.put("k", null);
    kongBody.put("a", withHole);
    kongBody.put("obj", nested);
    bridge.expect("kong.request.get_body").returns(kongBody);
    Map<String, Object> body = request().getBody().orElseThrow();
    assertEquals(Arrays.asList(1L, null, 2L), body.get("a"));
    assertEquals(Map.of("kept", "x"), body.get("obj"));
    assertTrue(!body.containsKey("k"));
    assertThrows(UnsupportedOperationException.class, () -> ((List<Object>) body.get("a")).add(3L));
    assertThrows(UnsupportedOperationException.class, () -> ((Map<String, Object>) body.get("obj")).clear());
  }

  @Test
  void formBodyKeepsRepeatedFieldsAndFlags() {
    // probe-06: a=1&a=2&flag&empty=
    bridge.expect("kong.request.get_body", "application/x-www-form-urlencoded")
        .returns(Map.of("a", List.of("1", "2"), "flag", true, "empty", ""));
    Map<String, Object> body = request().getBody("application/x-www-form-urlencoded").orElseThrow();
    assertEquals(Map.of("a", List.of("1", "2"), "flag", true, "empty", ""), body);
  }

  @Test
  void bodyIsEmptyOnKong3AndAnErrorOnKong28WhenTheContentTypeIsMissing() {
    bridge.expect("kong.request.get_body").returnsNothing()
        .expect("kong.request.get_body").fails("missing content type");
    assertEquals(Optional.empty(), request().getBody());
    PdkException e = assertThrows(PdkException.class, () -> request().getBody());
    assertEquals("kong.request.get_body: missing content type", e.getMessage());
  }

  @Test
  void bodyOverloadsSendMimetypeMaxArgsAndFileSize() {
    bridge.expect("kong.request.get_body", "application/json", 10L).returns(Map.of("a", 1L))
        .expect("kong.request.get_body", "application/json", 10L, 4096L).returns(List.of());
    assertEquals(Map.of("a", 1L), request().getBody("application/json", 10).orElseThrow());
    assertEquals(Map.of(), request().getBody("application/json", 10, 4096).orElseThrow());
    bridge.verify();
  }

  @Test
  void aJsonArrayBodyIsRejectedWithAClearError() {
    bridge.expect("kong.request.get_body").returns(List.of(1L, 2L));
    PdkException e = assertThrows(PdkException.class, () -> request().getBody());
    assertEquals("kong.request.get_body", e.method());
  }

  @Test
  void startTimeIsMillisecondsOrEmptyOnKong28() {
    bridge.expect("kong.request.get_start_time").returns(1795689785573L)
        .expect("kong.request.get_start_time").returns(1795689785573.0)
        .expect("kong.request.get_start_time").returnsNothing();
    assertEquals(OptionalLong.of(1795689785573L), request().getStartTime());
    assertEquals(OptionalLong.of(1795689785573L), request().getStartTime());
    assertEquals(OptionalLong.empty(), request().getStartTime());
  }

  @Test
  void uriCapturesReadKongsIntegerKeyedMapAndEmptyTables() {
    Map<Object, Object> unnamed = new LinkedHashMap<>();
    unnamed.put(1L, "42");
    unnamed.put(0L, "/users/42");
    bridge.expect("kong.request.get_uri_captures")
        .returns(Map.of("unnamed", unnamed, "named", Map.of("id", "42")))
        .expect("kong.request.get_uri_captures").returns(Map.of("unnamed", List.of(), "named", List.of()))
        .expect("kong.request.get_uri_captures").returnsNothing();
    var captures = request().getUriCaptures();
    assertEquals(List.of("/users/42", "42"), captures.unnamed());
    assertEquals(Map.of("id", "42"), captures.named());
    var none = request().getUriCaptures();
    assertEquals(List.of(), none.unnamed());
    assertEquals(Map.of(), none.named());
    var kong28 = request().getUriCaptures();
    assertEquals(List.of(), kong28.unnamed());
  }

  @Test
  void aWrongShapeIsAnErrorNamingTheFunctionAndTheValue() {
    bridge.expect("kong.request.get_path").returns(42L);
    PdkException e = assertThrows(PdkException.class, () -> request().getPath());
    assertEquals("kong.request.get_path: expected a string from Kong but got Long 42", e.getMessage());
  }
}
