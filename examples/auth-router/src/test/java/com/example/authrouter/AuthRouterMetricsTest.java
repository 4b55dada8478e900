package com.example.authrouter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.testkit.PluginTester;
import dev.kongpdk.testkit.TestRequest;
import dev.kongpdk.testkit.gateway.KongClient;
import dev.kongpdk.testkit.gateway.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The plugin's own meters in its server's Prometheus endpoint ({@code pdk-metrics} is on the class
 * path and the server runs with {@code --metrics-prometheus}), next to the server's.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthRouterMetricsTest {

  @Test
  void theServersScrapeShowsTheAuthServiceLatencyCacheAndDenials() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "auth-router");
    Path socket = dir.resolve("auth-router.socket");
    try (AuthService authService = AuthService.start().account("t-v1", AuthRouterTest.V1_ACCOUNT);
        ServerProcess server = ServerProcess.start(ServerProcess.javaCommand(System.getProperty("java.class.path"),
            "--socket", socket.toString(), "--metrics-prometheus", "127.0.0.1:0"), socket, Duration.ofSeconds(30));
        KongClient kong = KongClient.connect(socket, KongClient.Options.defaults().withTimeout(Duration.ofSeconds(30)))) {
      for (String token : new String[] {"t-v1", "unknown"}) {
        PluginTester.forPlugin(AuthRouter.class)
            .config(AuthRouterTest.config(authService.url(), AuthRouterSocketIT.PATIENT))
            .kong(k -> k.upstreamEntity("legacy-pool"))
            .request(TestRequest.get("http://api.example.com/orders").header("X-Api-Token", token))
            .runOver(kong);
      }

      Matcher endpoint = Pattern.compile("serving Prometheus metrics on (http://\\S+/metrics)").matcher(server.output());
      assertTrue(endpoint.find(), server.output());
      String scrape = scrape(URI.create(endpoint.group(1)));

      assertTrue(scrape.contains("kong_plugin_cache_misses_total{plugin=\"auth-router\"} 2.0"), scrape);
      assertTrue(scrape.contains("kong_plugin_auth_latency_seconds_count{plugin=\"auth-router\"} 2"), scrape);
      assertTrue(scrape.contains("kong_plugin_denials_total{plugin=\"auth-router\",reason=\"denied\"} 1.0"), scrape);
      assertTrue(scrape.contains("kong_pdk_events_started_total{phase=\"access\",plugin=\"auth-router\"} 2.0"), scrape);
    } finally {
      Files.deleteIfExists(dir);
    }
  }

  private static String scrape(URI metrics) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    return response.body();
  }
}
