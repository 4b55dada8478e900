package com.example.authrouter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kongpdk.Kong;
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

  private static AuthRouter.Config config(String authUrl, String extra) throws IOException {
    return new ObjectMapper().readValue(AuthRouterTest.config(authUrl, extra)
        .replace("}", ",\"token_header\":\"x-api-token\",\"timeout_ms\":2000,\"cache_size\":100,"
            + "\"fail_open\":false,\"unavailable_status\":503,\"new_from_version\":2,\"feature_flag\":\"f\"}"),
        AuthRouter.Config.class);
  }

  @Test
  void asksTheAuthServiceOncePerTokenWhileTheAnswerIsCached() throws IOException {
    try (AuthService authService = AuthService.start().account("t-v1", AuthRouterTest.V1_ACCOUNT)) {
      AuthRouter plugin = new AuthRouter(config(authService.url(), ",\"cache_ttl_seconds\":60"));

      plugin.access(requestWithToken("t-v1"));
      plugin.access(requestWithToken("t-v1"));
      plugin.access(requestWithToken("unknown"));
      plugin.access(requestWithToken("unknown"));

      assertEquals(List.of("Bearer t-v1", "Bearer unknown"), authService.received());
    }
  }

  @Test
  void asksEveryTimeWhenCachingIsOff() throws IOException {
    try (AuthService authService = AuthService.start().account("t-v1", AuthRouterTest.V1_ACCOUNT)) {
      AuthRouter plugin = new AuthRouter(config(authService.url(), ",\"cache_ttl_seconds\":0"));

      plugin.access(requestWithToken("t-v1"));
      plugin.access(requestWithToken("t-v1"));

      assertEquals(List.of("Bearer t-v1", "Bearer t-v1"), authService.received());
    }
  }
}
