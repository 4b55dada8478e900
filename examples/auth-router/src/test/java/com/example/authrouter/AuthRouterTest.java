package com.example.authrouter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.testkit.PluginTester;
import dev.kongpdk.testkit.TestRequest;
import dev.kongpdk.testkit.TestResult;
import dev.kongpdk.testkit.UpstreamRequest;
import dev.kongpdk.testkit.UpstreamResponse;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The plugin in process, against a real HTTP auth service on 127.0.0.1. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AuthRouterTest {

  static final String V1_ACCOUNT = "{\"account_id\":\"acc-1\",\"version\":1,\"plan\":\"free\",\"features\":[]}";
  static final String V2_ACCOUNT = "{\"account_id\":\"acc-2\",\"version\":2,\"plan\":\"gold\",\"features\":[]}";
  static final String FLAGGED_V1_ACCOUNT =
      "{\"account_id\":\"acc-3\",\"version\":1,\"plan\":\"free\",\"features\":[\"new-backend\"]}";

  private AuthService authService;

  @BeforeEach
  void startAuthService() throws IOException {
    authService = AuthService.start()
        .account("t-v1", V1_ACCOUNT)
        .account("t-v2", V2_ACCOUNT)
        .account("t-flagged", FLAGGED_V1_ACCOUNT)
        .answer("t-blocked", 403, "{}");
  }

  @AfterEach
  void stopAuthService() {
    authService.close();
  }

  /**
   * The plugin's config for these tests. Unless a test sets {@code timeout_ms}, the auth service
   * gets 10 s instead of the 500 ms default: a JVM's first HTTP call is slow, the more so on a busy
   * machine, and a test about a 401 must not get the 503 of a timeout. The timeout has its own test.
   */
  static String config(String authUrl, String extra) {
    String timeout = extra.contains("\"timeout_ms\"") ? "" : ",\"timeout_ms\":10000";
    return "{\"auth_url\":\"" + authUrl + "\",\"legacy_backend\":\"legacy-pool\","
        + "\"new_backend\":\"new.internal:8443\"" + timeout + extra + "}";
  }

  private PluginTester tester(String extraConfig) {
    return PluginTester.forPlugin(AuthRouter.class)
        .config(config(authService.url(), extraConfig))
        .kong(k -> k.upstreamEntity("legacy-pool"))
        .upstream(UpstreamResponse.status(200).json("{\"ok\":true}"));
  }

  @Test
  void sendsAVersion1AccountToTheLegacyUpstreamWithItsAccountHeaders() {
    TestResult result = tester("").request(TestRequest.get("http://api.example.com/orders").header("X-Api-Token", "t-v1")).run();

    UpstreamRequest upstream = result.upstreamRequest().orElseThrow();
    assertEquals("legacy-pool", upstream.upstreamName().orElseThrow());
    assertEquals("acc-1", upstream.header("x-account-id").orElseThrow());
    assertEquals("1", upstream.header("x-account-version").orElseThrow());
    assertEquals("free", upstream.header("x-account-plan").orElseThrow());
    assertEquals(200, result.response().status());
    assertEquals("acc-1", result.response().header("x-account-id").orElseThrow());
    assertEquals("legacy", result.response().header("x-backend").orElseThrow());
    assertEquals("acc-1", result.ctxShared().get("account_id"));
    assertEquals(List.of("Bearer t-v1"), authService.received());
  }

  @Test
  void sendsAVersion2AccountToTheNewTarget() {
    TestResult result = tester("").request(TestRequest.get("http://api.example.com/orders").header("X-Api-Token", "t-v2")).run();

    UpstreamRequest upstream = result.upstreamRequest().orElseThrow();
    assertEquals("new.internal", upstream.host());
    assertEquals(8443, upstream.port());
    assertTrue(upstream.upstreamName().isEmpty());
    assertEquals("new", result.response().header("x-backend").orElseThrow());
    assertEquals("gold", upstream.header("x-account-plan").orElseThrow());
  }

  @Test
  void sendsAnOlderAccountWithTheFeatureFlagToTheNewTarget() {
    TestResult result = tester("").request(TestRequest.get("http://api.example.com/").header("X-Api-Token", "t-flagged")).run();

    assertEquals("new.internal", result.upstreamRequest().orElseThrow().host());
    assertEquals("new", result.response().header("x-backend").orElseThrow());
  }

  @Test
  void honoursAConfiguredVersionThresholdAndFlagName() {
    TestResult result = tester(",\"new_from_version\":3,\"feature_flag\":\"beta\"")
        .request(TestRequest.get("http://api.example.com/").header("X-Api-Token", "t-v2")).run();

    assertEquals("legacy-pool", result.upstreamRequest().orElseThrow().upstreamName().orElseThrow());
  }

  @Test
  void replacesAccountHeadersSentByTheClient() {
    TestResult result = tester("").request(TestRequest.get("http://api.example.com/")
        .header("X-Api-Token", "t-v1").header("X-Account-Id", "someone-else").header("X-Account-Plan", "gold")).run();

    assertEquals(List.of("acc-1"), result.upstreamRequest().orElseThrow().headers().all("x-account-id"));
    assertEquals(List.of("free"), result.upstreamRequest().orElseThrow().headers().all("x-account-plan"));
  }

  @Test
  void rejectsARequestWithoutTokenBeforeAskingTheAuthService() {
    TestResult result = tester("").request(TestRequest.get("http://api.example.com/")).run();

    assertEquals(401, result.response().status());
    assertEquals("{\"message\":\"missing x-api-token header\"}", result.response().bodyText());
    assertEquals("Bearer", result.response().header("www-authenticate").orElseThrow());
    assertFalse(result.proxied());
    assertEquals(List.of(), authService.received());
  }

  @Test
  void rejectsATokenTheAuthServiceDoesNotKnowWith401() {
    TestResult result = tester("").request(TestRequest.get("http://api.example.com/").header("X-Api-Token", "nope")).run();

    assertEquals(401, result.response().status());
    assertEquals("{\"message\":\"invalid token\"}", result.response().bodyText());
    assertTrue(result.response().header("content-type").orElseThrow().startsWith("application/json"));
    assertFalse(result.proxied());
  }

  @Test
  void rejectsATokenTheAuthServiceRefusesWith403() {
    TestResult result = tester("").request(TestRequest.get("http://api.example.com/").header("X-Api-Token", "t-blocked")).run();

    assertEquals(403, result.response().status());
    assertEquals("{\"message\":\"access denied\"}", result.response().bodyText());
    assertFalse(result.proxied());
  }

  @Test
  void countsDenialsByReasonAndTimesTheAuthService() {
    TestResult denied = tester("").request(TestRequest.get("http://api.example.com/").header("X-Api-Token", "unknown")).run();
    assertEquals(1, denied.meters().count("denials", "reason", "denied"));
    assertEquals(1, denied.meters().count("cache.misses"));
    assertEquals(0, denied.meters().count("cache.hits"));
    assertEquals(1, denied.meters().timings("auth.latency").size());

    TestResult missing = tester("").request(TestRequest.get("http://api.example.com/")).run();
    assertEquals(1, missing.meters().count("denials", "reason", "missing_token"));
    assertEquals(0, missing.meters().count("denials", "reason", "denied"));
    assertEquals(List.of(), missing.meters().timings("auth.latency"), "no token, no call to the auth service");

    TestResult allowed = tester("").request(TestRequest.get("http://api.example.com/").header("X-Api-Token", "t-v1")).run();
    assertEquals(0, allowed.meters().count("denials"));
    assertEquals(Set.of("auth.latency", "cache.hits", "cache.misses"), allowed.meters().names());
  }

  @Test
  void readsTheTokenFromTheConfiguredHeader() {
    TestResult result = tester(",\"token_header\":\"x-session\"")
        .request(TestRequest.get("http://api.example.com/").header("X-Session", "t-v1")).run();

    assertEquals("acc-1", result.upstreamRequest().orElseThrow().header("x-account-id").orElseThrow());
  }

  @Test
  void failsClosedWith503WhenTheAuthServiceIsDown() {
    String url = authService.url();
    authService.close();
    TestResult result = PluginTester.forPlugin(AuthRouter.class).config(config(url, ""))
        .request(TestRequest.get("http://api.example.com/").header("X-Api-Token", "t-v1")).run();

    assertEquals(503, result.response().status());
    assertEquals("{\"message\":\"authentication is unavailable\"}", result.response().bodyText());
    assertFalse(result.proxied());
    assertTrue(result.logs("err").get(0).message().contains("auth service unavailable"), result.logs().toString());
  }

  @Test
  void failsClosedWithTheConfiguredStatusWhenTheAuthServiceIsTooSlow() {
    TestResult result = tester(",\"timeout_ms\":200,\"unavailable_status\":500")
        .request(TestRequest.get("http://api.example.com/").header("X-Api-Token", AuthService.HANGS)).run();

    assertEquals(500, result.response().status());
    assertFalse(result.proxied());
  }

  @Test
  void treatsAnAuthServiceErrorAsAnOutageNotAsARejection() {
    authService.answer("t-broken", 502, "bad gateway");
    TestResult result = tester("").request(TestRequest.get("http://api.example.com/").header("X-Api-Token", "t-broken")).run();

    assertEquals(503, result.response().status());
  }

  @Test
  void failsOpenToTheLegacyBackendWithoutAccountHeadersWhenConfigured() {
    String url = authService.url();
    authService.close();
    TestResult result = PluginTester.forPlugin(AuthRouter.class).config(config(url, ",\"fail_open\":true"))
        .kong(k -> k.upstreamEntity("legacy-pool"))
        .request(TestRequest.get("http://api.example.com/").header("X-Api-Token", "t-v1").header("X-Account-Id", "forged"))
        .run();

    assertEquals(200, result.response().status());
    UpstreamRequest upstream = result.upstreamRequest().orElseThrow();
    assertEquals("legacy-pool", upstream.upstreamName().orElseThrow());
    assertTrue(upstream.header("x-account-id").isEmpty());
    assertEquals(1, result.logs("err").size());
  }

  @Test
  void failsClosedWhenKongDoesNotKnowTheUpstream() {
    TestResult result = PluginTester.forPlugin(AuthRouter.class)
        .config(config(authService.url(), ""))
        .request(TestRequest.get("http://api.example.com/").header("X-Api-Token", "t-v1"))
        .run();

    assertEquals(500, result.response().status());
    assertEquals(1, result.pluginFailures().size());
    assertFalse(result.proxied());
  }

  @Test
  void refusesABackendThatIsNeitherAnUpstreamNameNorHostAndPort() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PluginTester.forPlugin(AuthRouter.class)
        .config("{\"auth_url\":\"http://127.0.0.1:1/\",\"legacy_backend\":\"a\",\"new_backend\":\"b.internal:http\"}")
        .run());
    assertTrue(e.getMessage().contains("new_backend must be an upstream name or host:port"), e.getMessage());
  }
}
