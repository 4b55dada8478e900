package dev.kongpdk.reliability;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kongpdk.Kong;
import dev.kongpdk.plugin.AccessPhase;
import dev.kongpdk.plugin.KongPlugin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * An auth plugin as the teams this kit is for write them: every request asks an auth service
 * over HTTP and is let through only on its 200. With no {@code url} the handler waits forever (a
 * handler that never returns); with a {@code url} whose service hangs, it waits up to {@code
 * timeout} ms. Either way the client must get the fail-closed 500, never the upstream.
 */
@KongPlugin(name = "slowauth", version = "0.1.0", priority = 1000)
public final class SlowAuth implements AccessPhase, AutoCloseable {

  /**
   * The config.
   *
   * @param url the auth service; none: wait forever
   * @param timeout the HTTP client's timeout for the auth call, in milliseconds
   */
  public record Config(
      String url,
      @JsonProperty(defaultValue = "30000") Integer timeout) {}

  private final Config config;
  private final HttpClient http;

  public SlowAuth(Config config) {
    this.config = config;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofMillis(config.timeout()))
        .build();
  }

  @Override
  public void access(Kong kong) throws InterruptedException, IOException {
    if (config.url() == null || config.url().isEmpty()) {
      new CountDownLatch(1).await(); // never counted down: only an interrupt ends this wait
      return;
    }
    HttpRequest check = HttpRequest.newBuilder(URI.create(config.url()))
        .timeout(Duration.ofMillis(config.timeout()))
        .build();
    int status = http.send(check, HttpResponse.BodyHandlers.discarding()).statusCode();
    if (status != 200) {
      kong.response().exit(403, Map.of("message", "denied by the auth service"), Map.of());
    }
    kong.response().setHeader("x-auth", "ok");
  }

  @Override
  public void close() {
    http.close();
  }
}
