package com.example.authrouter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.kongpdk.testkit.PluginTester;
import dev.kongpdk.testkit.TestRequest;
import dev.kongpdk.testkit.TestResult;
import dev.kongpdk.testkit.UpstreamResponse;
import dev.kongpdk.testkit.gateway.KongClient;
import dev.kongpdk.testkit.gateway.ServerProcess;
import dev.kongpdk.testkit.junit.PluginServerExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The plugin in its plugin server process, over the Unix socket, as Kong runs it. */
@ExtendWith(PluginServerExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthRouterSocketIT {

  /** A cold server process on a busy machine can take longer than the 500 ms default to reach the auth service. */
  static final String PATIENT = ",\"timeout_ms\":10000";

  @Test
  void authenticatesAndRoutesOverTheSocket(ServerProcess server) throws IOException {
    try (AuthService authService = AuthService.start().account("t-v2", AuthRouterTest.V2_ACCOUNT)) {
      TestResult result = runOverSocket(PluginTester.forPlugin(AuthRouter.class)
          .config(AuthRouterTest.config(authService.url(), PATIENT))
          .request(TestRequest.get("http://api.example.com/orders").header("X-Api-Token", "t-v2"))
          .upstream(UpstreamResponse.status(200).body("orders")), server);

      assertEquals(200, result.response().status(), result.logs().toString());
      assertEquals("acc-2", result.response().header("x-account-id").orElseThrow());
      assertEquals("new.internal", result.upstreamRequest().orElseThrow().host());
      assertEquals("acc-2", result.upstreamRequest().orElseThrow().header("x-account-id").orElseThrow());
    }
  }

  @Test
  void rejectsOverTheSocket(ServerProcess server) throws IOException {
    try (AuthService authService = AuthService.start()) {
      TestResult result = runOverSocket(PluginTester.forPlugin(AuthRouter.class)
          .config(AuthRouterTest.config(authService.url(), PATIENT))
          .request(TestRequest.get("http://api.example.com/orders").header("X-Api-Token", "unknown")), server);

      assertEquals(401, result.response().status(), result.logs().toString());
      assertEquals("{\"message\":\"invalid token\"}", result.response().bodyText());
      assertFalse(result.proxied());
    }
  }

  /**
   * Runs the tester against the server with Kong's patience: Kong waits up to 60 s for a plugin
   * server's answer, the testkit's default is 5 s; 30 s keeps a busy machine from failing the test.
   */
  private static TestResult runOverSocket(PluginTester tester, ServerProcess server) {
    try (KongClient kong = KongClient.connect(server.socket(), KongClient.Options.defaults().withTimeout(Duration.ofSeconds(30)))) {
      return tester.runOver(kong);
    }
  }
}
