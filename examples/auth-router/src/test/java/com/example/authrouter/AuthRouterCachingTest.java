package com.example.authrouter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kongpdk.Kong;
import dev.kongpdk.testkit.RecordedMeters;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One plugin instance serving several requests, as Kong does: the auth service is asked once per
 * token while its answer is cached. (PluginTester starts a fresh instance per run, so this test
 * drives the instance directly, over a bridge that knows only the token header.)
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AuthRouterCachingTest {

  private static Kong requestWithToken(String token) {
    return Kong.over((method, args) -> switch (method) {
      case "kong.request.get_header" -> token;
      case "kong.service.set_upstream" -> true;
      default -> null;
    });
  }

  private static AuthRouter.Config config(String authUrl, int cacheTtlSeconds) {
    return new AuthRouter.Config(authUrl, "x-api-token", 2000, cacheTtlSeconds, 100, false, 503,
        "legacy-pool", "new.internal:8443", 2, "new-backend");
  }

  @Test
  void asksTheAuthServiceOncePerTokenWhileTheAnswerIsCached() throws IOException {
    try (AuthService authService = AuthService.start().account("t-v1", AuthRouterTest.V1_ACCOUNT)) {
      RecordedMeters meters = new RecordedMeters();
      AuthRouter plugin = new AuthRouter(config(authService.url(), 60), meters.forPlugin("auth-router"));

      plugin.access(requestWithToken("t-v1"));
      plugin.access(requestWithToken("t-v1"));
      plugin.access(requestWithToken("unknown"));
      plugin.access(requestWithToken("unknown"));

      assertEquals(List.of("Bearer t-v1", "Bearer unknown"), authService.received());
      assertEquals(2, meters.count("cache.misses"));
      assertEquals(2, meters.count("cache.hits"));
      assertEquals(2, meters.timings("auth.latency").size(), "only misses ask the auth service");
      assertEquals(2, meters.count("denials", "reason", "denied"), "a cached denial is still a denial");
    }
  }

  @Test
  void asksEveryTimeWhenCachingIsOff() throws IOException {
    try (AuthService authService = AuthService.start().account("t-v1", AuthRouterTest.V1_ACCOUNT)) {
      AuthRouter plugin = new AuthRouter(config(authService.url(), 0));

      plugin.access(requestWithToken("t-v1"));
      plugin.access(requestWithToken("t-v1"));

      assertEquals(List.of("Bearer t-v1", "Bearer t-v1"), authService.received());
    }
  }
}
