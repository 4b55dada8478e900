package dev.kongpdk.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kongpdk.plugin.Phase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** FakeKong answers with Kong's wire shapes, as recorded in the Kong 3.9.3 traces. */
class FakeKongTest {

  private static FakeKong inPhase(TestRequest request, Phase phase) {
    FakeKong kong = FakeKong.builder(request).build();
    kong.beginEvent("probe", phase);
    return kong;
  }

  private static Object call(FakeKong kong, String method, Object... args) {
    return kong.call(method, List.of(args));
  }

  private static final TestRequest MULTI = TestRequest.get("http://127.0.0.1:18200/probe/get?x=1")
      .header("X-Multi", "one").header("x-multi", "two").header("X-Probe-Remove", "r").build();

  @Test
  void headerNamesAreCaseInsensitiveAndUnderscoresMatchDashes() {
    FakeKong kong = inPhase(MULTI, Phase.ACCESS);

    assertEquals("one", call(kong, "kong.request.get_header", "X-MULTI"));
    assertEquals("one", call(kong, "kong.request.get_header", "x_multi"));
    assertNull(call(kong, "kong.request.get_header", "x-not-there"));
  }

  @Test
  void getHeadersIsAMultimapOfLowerCaseNamesInArrivalOrder() {
    FakeKong kong = inPhase(MULTI, Phase.ACCESS);

    Object headers = call(kong, "kong.request.get_headers");

    assertEquals(Map.of("host", List.of("127.0.0.1:18200"), "x-multi", List.of("one", "two"),
        "x-probe-remove", List.of("r")), headers);
    assertEquals("plugin.StepMultiMap", FakeKong.stepMethod("kong.request.get_headers"));
  }

  @Test
  void queryFlagsBecomeEmptyArraysInTheMultimapAndTrueInGetQueryArg() {
    FakeKong kong = inPhase(TestRequest.get("http://h/probe/q?a=1&a=2&flag&empty=").build(), Phase.ACCESS);

    assertEquals(Map.of("a", List.of("1", "2"), "flag", List.of(), "empty", List.of("")),
        call(kong, "kong.request.get_query"));
    assertEquals("1", call(kong, "kong.request.get_query_arg", "a"));
    assertEquals(true, call(kong, "kong.request.get_query_arg", "flag"));
    assertEquals("", call(kong, "kong.request.get_query_arg", "empty"));
    assertNull(call(kong, "kong.request.get_query_arg", "missing"));
    assertEquals("a=1&a=2&flag&empty=", call(kong, "kong.request.get_raw_query"));
  }

  @Test
  void emptyMultimapStaysAMapWhileOtherEmptyTablesBecomeLists() {
    FakeKong kong = inPhase(TestRequest.get("http://h/").build(), Phase.ACCESS);

    assertEquals(Map.of(), call(kong, "kong.request.get_query"));
    assertEquals(Map.of("unnamed", List.of(), "named", List.of()), call(kong, "kong.request.get_uri_captures"));
  }

  @Test
  void rawBodyIsExactBytesEvenWhenNotUtf8() {
    byte[] body = {0x00, (byte) 0xff, (byte) 0xcf, (byte) 0x80, (byte) 0xc0, 0x01, 'b', 'i', 'n'};
    FakeKong kong = inPhase(TestRequest.post("http://h/probe/bin").header("Content-Type", "application/octet-stream")
        .body(body).build(), Phase.ACCESS);

    assertArrayEquals(body, (byte[]) call(kong, "kong.request.get_raw_body"));
    assertNull(call(kong, "kong.request.get_body"), "an unsupported type answers nil; Kong 3.x drops the error");
  }

  @Test
  void jsonBodyDecodesWithKongsNumberAndEmptyTableRules() {
    FakeKong kong = inPhase(TestRequest.post("http://h/j")
        .jsonBody("{\"s\":\"v\",\"i\":1,\"f\":1.5,\"big\":1e3,\"arr\":[1,\"x\",true],\"obj\":{},\"empty_arr\":[]}").build(),
        Phase.ACCESS);

    @SuppressWarnings("unchecked")
    Map<String, Object> body = (Map<String, Object>) call(kong, "kong.request.get_body");

    assertEquals(1L, body.get("i"));
    assertEquals(1.5, body.get("f"));
    assertEquals(1000L, body.get("big"));
    assertEquals(List.of(1L, "x", true), body.get("arr"));
    assertEquals(List.of(), body.get("obj"));
    assertEquals(List.of(), body.get("empty_arr"));
  }

  @Test
  void formBodyIsAPlainTableWithFlagsAsTrue() {
    FakeKong kong = inPhase(TestRequest.post("http://h/f").header("Content-Type", "application/x-www-form-urlencoded")
        .body("a=1&a=2&flag&empty=").build(), Phase.ACCESS);

    assertEquals(Map.of("a", List.of("1", "2"), "flag", true, "empty", ""), call(kong, "kong.request.get_body"));
  }

  @Test
  void numbersHaveKongsTypes() {
    FakeKong http11 = inPhase(TestRequest.get("http://127.0.0.1:18200/").build(), Phase.ACCESS);
    FakeKong http10 = inPhase(TestRequest.get("http://h/").httpVersion(1.0).build(), Phase.ACCESS);

    assertEquals(18200L, call(http11, "kong.request.get_port"));
    assertEquals(1.1, call(http11, "kong.request.get_http_version"));
    assertEquals(1L, call(http10, "kong.request.get_http_version"));
  }

  @Test
  void entitiesAreMapsAndAbsentConsumerIsNil() {
    FakeKong kong = inPhase(MULTI, Phase.ACCESS);

    @SuppressWarnings("unchecked")
    Map<String, Object> route = (Map<String, Object>) call(kong, "kong.router.get_route");
    assertEquals(List.of("http", "https"), route.get("protocols"));
    assertEquals(Map.of("id", "00000000-0000-4000-8000-010000000001"), route.get("service"));
    assertEquals("plugin.StepRoute", FakeKong.stepMethod("kong.router.get_route"));
    assertNull(call(kong, "kong.client.get_consumer"));
    assertEquals("plugin.StepConsumer", FakeKong.stepMethod("kong.client.load_consumer"));
    assertEquals("plugin.Step", FakeKong.stepMethod("kong.request.get_header"));
  }

  @Test
  void loadConsumerWithAnInvalidUuidRaisesLikeKong() {
    FakeKong kong = inPhase(MULTI, Phase.ACCESS);

    LuaError e = assertThrows(LuaError.class, () -> call(kong, "kong.client.load_consumer", "not-a-uuid"));

    assertTrue(e.getMessage().contains("cannot load a consumer with an id that is not a uuid"));
    assertEquals("kong.client.load_consumer: cannot load a consumer with an id that is not a uuid", kong.endEvent().orElseThrow());
  }

  @Test
  void authenticateSetsConsumerAndCredentialForLaterCalls() {
    FakeKong kong = inPhase(MULTI, Phase.ACCESS);
    Map<String, Object> consumer = Entities.consumer("6f1c1a8e-3f0b-4c7e-9d2a-5b8e7c6d4a21", "alice");

    call(kong, "kong.client.authenticate", consumer, Entities.credential("7f1c1a8e-3f0b-4c7e-9d2a-5b8e7c6d4a21", "x"));

    assertEquals(consumer, call(kong, "kong.client.get_consumer"));
    assertEquals("7f1c1a8e-3f0b-4c7e-9d2a-5b8e7c6d4a21", ((Map<?, ?>) call(kong, "kong.client.get_credential")).get("id"));
  }

  @Test
  void logPhaseAllowsSavedDataButRefusesNgxReqReads() {
    FakeKong kong = inPhase(MULTI, Phase.LOG);

    assertEquals("one", call(kong, "kong.request.get_header", "x-multi"));
    String serialized = (String) call(kong, "kong.log.serialize");
    assertThrows(LuaError.class, () -> call(kong, "kong.request.get_method"));

    assertTrue(serialized.startsWith("{"));
  }

  @Test
  void serializeIsJsonWithTheRequestAndSetSerializeValues() throws Exception {
    FakeKong kong = inPhase(MULTI, Phase.ACCESS);
    call(kong, "kong.log.set_serialize_value", "request.tag", "t1");
    kong.endEvent();
    kong.beginEvent("probe", Phase.LOG);

    JsonNode json = new ObjectMapper().readTree((String) call(kong, "kong.log.serialize"));

    assertEquals("GET", json.at("/request/method").asText());
    assertEquals("t1", json.at("/request/tag").asText());
    assertEquals("one", json.at("/request/headers/x-multi/0").asText());
    assertEquals("127.0.0.1", json.at("/client_ip").asText());
  }

  @Test
  void ctxSharedAndNginxCtxKeepValuesAcrossEvents() {
    FakeKong kong = inPhase(MULTI, Phase.REWRITE);
    call(kong, "kong.ctx.shared.set", "k", Map.of("a", 1, "c", 2.5));
    call(kong, "kong.nginx.set_ctx", "n", 2.0);
    kong.endEvent();
    kong.beginEvent("other", Phase.LOG);

    assertEquals(Map.of("a", 1L, "c", 2.5), call(kong, "kong.ctx.shared.get", "k"));
    assertEquals(2L, call(kong, "kong.nginx.get_ctx", "n"), "integral numbers go out as ints");
    assertNull(call(kong, "kong.ctx.shared.get", "never_set"));
    assertEquals(1_700_000_000_000L, call(kong, "kong.nginx.get_ctx", "KONG_REWRITE_START"));
  }

  @Test
  void forwardedValuesAreUsedOnlyFromTrustedClients() {
    TestRequest request = TestRequest.get("http://internal:8000/").client("10.0.0.1", 5555)
        .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "public.example").header("X-Forwarded-For", "1.2.3.4").build();
    FakeKong untrusted = FakeKong.builder(request).build();
    FakeKong trusted = FakeKong.builder(request).trustedIp("10.0.0.0/8").build();
    untrusted.beginEvent("p", Phase.ACCESS);
    trusted.beginEvent("p", Phase.ACCESS);

    assertEquals("http", call(untrusted, "kong.request.get_forwarded_scheme"));
    assertEquals("https", call(trusted, "kong.request.get_forwarded_scheme"));
    assertEquals("public.example", call(trusted, "kong.request.get_forwarded_host"));
    assertEquals("1.2.3.4", call(trusted, "kong.client.get_forwarded_ip"));
    assertEquals("10.0.0.1", call(untrusted, "kong.client.get_forwarded_ip"));
    assertEquals(true, call(trusted, "kong.ip.is_trusted", "10.1.2.3"));
    assertEquals(false, call(untrusted, "kong.ip.is_trusted", "10.1.2.3"));
    assertEquals(5555L, call(untrusted, "kong.client.get_port"));
  }

  @Test
  void pathIsNormalisedButRawPathIsNot() {
    FakeKong kong = inPhase(TestRequest.get("http://h//a/./b/../c%2Dd").build(), Phase.ACCESS);

    assertEquals("/a/c-d", call(kong, "kong.request.get_path"));
    assertEquals("//a/./b/../c%2Dd", call(kong, "kong.request.get_raw_path"));
  }

  @Test
  void exitOutsideItsRangeRaises() {
    FakeKong kong = inPhase(MULTI, Phase.ACCESS);

    assertThrows(LuaError.class, () -> call(kong, "kong.response.exit", 99));
  }

  @Test
  void setHeaderRejectsTableValuesThatAreNotArrays() {
    FakeKong kong = inPhase(MULTI, Phase.ACCESS);

    LuaError e = assertThrows(LuaError.class, () -> call(kong, "kong.response.set_header", "x", Map.of("a", "b")));

    assertTrue(e.getMessage().contains("invalid header value for \"x\""), e.getMessage());
  }

  @Test
  void callsAreRecordedWithWireArgsAndResults() {
    FakeKong kong = inPhase(MULTI, Phase.ACCESS);
    call(kong, "kong.request.get_header", "x-multi");
    call(kong, "kong.response.set_header", "x-a", 1);

    List<PdkCall> calls = kong.calls();

    assertEquals("[probe:access] kong.request.get_header[\"x-multi\"] -> \"one\"", calls.get(0).toString());
    assertEquals(List.of("x-a", 1L), calls.get(1).args());
    assertTrue(calls.get(1).result().isEmpty());
  }

  @Test
  void vaultReferencesAreParsedAndResolvedFromTheConfiguredSecrets() {
    FakeKong kong = FakeKong.builder(MULTI).secret("{vault://env/db/password}", "s3cret").build();
    kong.beginEvent("probe", Phase.ACCESS);

    assertEquals(true, call(kong, "kong.vault.is_reference", "{vault://env/db/password}"));
    assertEquals(Map.of("name", "env", "resource", "db", "key", "password", "version", 2L),
        call(kong, "kong.vault.parse_reference", "{vault://env/db/password?version=2}"));
    assertEquals("s3cret", call(kong, "kong.vault.get", "{vault://env/db/password}"));
    assertNull(call(kong, "kong.vault.get", "{vault://env/other}"));
  }

  @Test
  void errorWritesKongsTemplateInTheAcceptedFormatAndCountsAsAnExit() {
    FakeKong json = inPhase(MULTI, Phase.ACCESS);
    FakeKong plain = inPhase(TestRequest.get("http://h/").header("Accept", "text/html;q=0.5, text/plain").build(), Phase.ACCESS);

    call(json, "kong.response.error", 404);
    call(plain, "kong.response.error", 503, "down for maintenance");

    ClientResponse j = json.clientResponse();
    assertEquals(404, j.status());
    assertEquals("{\n  \"message\":\"Not found\",\n  \"request_id\":\"0123456789abcdef0123456789abcdef\"\n}", j.bodyText());
    assertEquals("application/json; charset=utf-8", j.header("content-type").orElseThrow());
    assertEquals(Integer.toString(j.body().length), j.header("content-length").orElseThrow());
    assertEquals("exit", j.source());
    ClientResponse p = plain.clientResponse();
    assertEquals("down for maintenance\nrequest_id: 0123456789abcdef0123456789abcdef\n", p.bodyText());
    assertEquals("text/plain; charset=utf-8", p.header("content-type").orElseThrow());
  }

  @Test
  void transferEncodingCannotBeSetAndKongWarns() {
    FakeKong kong = inPhase(MULTI, Phase.ACCESS);

    call(kong, "kong.response.set_header", "Transfer-Encoding", "chunked");
    call(kong, "kong.response.exit", 200);

    assertTrue(kong.clientResponse().header("transfer-encoding").isEmpty());
    assertEquals("0", kong.clientResponse().header("content-length").orElseThrow());
    assertEquals("manually setting Transfer-Encoding. Ignored.", kong.logs().get(0).message());
  }

  @Test
  void serializeValueModesAddAndReplaceAsKongDoes() throws Exception {
    FakeKong kong = inPhase(MULTI, Phase.ACCESS);
    call(kong, "kong.log.set_serialize_value", "request.method", "ADDED", Map.of("mode", "add"));
    call(kong, "kong.log.set_serialize_value", "request.new_key", "x", Map.of("mode", "replace"));
    call(kong, "kong.log.set_serialize_value", "request.other", "y", Map.of("mode", "add"));
    kong.endEvent();
    kong.beginEvent("probe", Phase.LOG);

    JsonNode json = new ObjectMapper().readTree((String) call(kong, "kong.log.serialize"));

    assertEquals("GET", json.at("/request/method").asText(), "add never overwrites");
    assertTrue(json.at("/request/new_key").isMissingNode(), "replace never creates");
    assertEquals("y", json.at("/request/other").asText());
  }

  @Test
  void vaultUpdateResolvesReferencesInATable() {
    FakeKong kong = FakeKong.builder(MULTI).secret("{vault://env/pw}", "s3cret").build();
    kong.beginEvent("probe", Phase.ACCESS);

    assertEquals(Map.of("password", "s3cret", "user", "bob", "list", List.of("s3cret")),
        call(kong, "kong.vault.update", Map.of("password", "{vault://env/pw}", "user", "bob", "list", List.of("{vault://env/pw}"))));
  }

  @Test
  void telemetryLogAnswersNilUnlessTheOpenTelemetryPluginReportsLogs() {
    FakeKong without = inPhase(MULTI, Phase.ACCESS);
    FakeKong with = FakeKong.builder(MULTI).openTelemetryLogs(true).build();
    with.beginEvent("probe", Phase.ACCESS);

    assertNull(call(without, "kong.telemetry.log", "probe", Map.of(), "access_phase", "hello", Map.of()));
    assertEquals(true, call(with, "kong.telemetry.log", "probe", Map.of(), "access_phase", "hello", Map.of()));
    assertEquals(new LogEntry("probe", "access", "telemetry", "access_phase: hello"), with.logs().get(0));
  }
}
