package com.example.authrouter;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.kongpdk.Kong;
import dev.kongpdk.plugin.AccessPhase;
import dev.kongpdk.plugin.KongPlugin;
import dev.kongpdk.plugin.PluginMetrics;
import dev.kongpdk.plugin.schema.Between;
import dev.kongpdk.plugin.schema.OneOf;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Authenticates each request against an auth service, rejects bad ones early, routes by account
 * version and feature flag, and adds the account to the upstream request and the response.
 */
@KongPlugin(name = "auth-router", version = "0.1.0", priority = 1010)
public final class AuthRouter implements AccessPhase {

  /** Headers this plugin sets upstream; a client's own values for them are removed first. */
  static final String ACCOUNT_ID = "X-Account-Id";
  static final String ACCOUNT_VERSION = "X-Account-Version";
  static final String ACCOUNT_PLAN = "X-Account-Plan";
  /** Response header naming the backend the request went to: {@code legacy} or {@code new}. */
  static final String BACKEND = "X-Backend";

  // tag::config[]
  /** The plugin's config; Kong's schema for it is generated from this record. */
  public record Config(
      @JsonProperty(value = "auth_url", required = true)
          @JsonPropertyDescription("The auth service's URL; the token goes to it as a bearer token.")
          String authUrl,
      @JsonProperty(value = "token_header", defaultValue = "x-api-token") String tokenHeader,
      @JsonProperty(value = "timeout_ms", defaultValue = "500") @Between(min = 1, max = 60000) int timeoutMs,
      @JsonProperty(value = "cache_ttl_seconds", defaultValue = "30") @Between(min = 0, max = 3600) int cacheTtlSeconds,
      @JsonProperty(value = "cache_size", defaultValue = "10000") @Between(min = 1, max = 1000000) int cacheSize,
      @JsonProperty(value = "fail_open", defaultValue = "false") boolean failOpen,
      @JsonProperty(value = "unavailable_status", defaultValue = "503") @OneOf({"500", "503"}) int unavailableStatus,
      @JsonProperty(value = "legacy_backend", required = true)
          @JsonPropertyDescription("Upstream name or host:port for accounts on the legacy backend.")
          String legacyBackend,
      @JsonProperty(value = "new_backend", required = true)
          @JsonPropertyDescription("Upstream name or host:port for accounts on the new backend.")
          String newBackend,
      @JsonProperty(value = "new_from_version", defaultValue = "2") int newFromVersion,
      @JsonProperty(value = "feature_flag", defaultValue = "new-backend") String featureFlag) {}
  // end::config[]

  private final Config config;
  private final AuthClient authService;
  private final AnswerCache cache;
  private final Backend legacy;
  private final Backend current;
  // tag::meters[]
  private final PluginMetrics metrics;
  private final PluginMetrics.Timer authLatency;
  private final PluginMetrics.Counter cacheHits;
  private final PluginMetrics.Counter cacheMisses;

  /** What Kong's instances are created with: the server hands in the plugin's own meters. */
  public AuthRouter(Config config, PluginMetrics metrics) {
    this.metrics = metrics; // PluginMetrics.none() unless the server runs with pdk-metrics
    this.authLatency = metrics.timer("auth.latency");
    this.cacheHits = metrics.counter("cache.hits");
    this.cacheMisses = metrics.counter("cache.misses");
    // end::meters[]
    this.config = config;
    this.authService = new AuthClient(URI.create(config.authUrl()), Duration.ofMillis(config.timeoutMs()));
    this.cache = new AnswerCache(Duration.ofSeconds(config.cacheTtlSeconds()).toNanos(), config.cacheSize(), System::nanoTime);
    this.legacy = Backend.parse("legacy_backend", config.legacyBackend());
    this.current = Backend.parse("new_backend", config.newBackend());
  }

  /** Without meters, for tests that construct the plugin themselves. */
  public AuthRouter(Config config) {
    this(config, PluginMetrics.none());
  }

  // tag::access[]
  @Override
  public void access(Kong kong) {
    // Never trust account headers sent by the client.
    for (String header : new String[] {ACCOUNT_ID, ACCOUNT_VERSION, ACCOUNT_PLAN}) {
      kong.service().request().clearHeader(header);
    }
    Optional<String> token = kong.request().getHeader(config.tokenHeader()).filter(t -> !t.isBlank());
    if (token.isEmpty()) {
      reject(kong, 401, "missing_token", "missing " + config.tokenHeader() + " header");
      return;
    }
    switch (authenticate(token.get())) {
      case AuthAnswer.Allowed allowed -> forward(kong, allowed.account());
      case AuthAnswer.Denied denied -> reject(kong, denied.status(), "denied", denied.message());
      case AuthAnswer.Unavailable outage -> {
        kong.log().err("auth service unavailable: ", outage.reason());
        if (!config.failOpen()) {
          reject(kong, config.unavailableStatus(), "unavailable", "authentication is unavailable");
          return;
        }
        legacy.select(kong);
        kong.response().setHeader(BACKEND, "legacy");
      }
    }
  }

  private AuthAnswer authenticate(String token) {
    Optional<AuthAnswer> cached = cache.get(token);
    if (cached.isPresent()) {
      cacheHits.increment();
      return cached.get();
    }
    cacheMisses.increment();
    AuthAnswer answer = authLatency.time(() -> authService.check(token));
    cache.put(token, answer);
    return answer;
  }

  private void forward(Kong kong, Account account) {
    boolean onNew = account.version() >= config.newFromVersion() || account.features().contains(config.featureFlag());
    (onNew ? current : legacy).select(kong);

    kong.service().request().setHeader(ACCOUNT_ID, account.id());
    kong.service().request().setHeader(ACCOUNT_VERSION, Integer.toString(account.version()));
    kong.service().request().setHeader(ACCOUNT_PLAN, account.plan());
    // Headers set in access are sent with the response, whatever the upstream answers.
    kong.response().setHeader(ACCOUNT_ID, account.id());
    kong.response().setHeader(BACKEND, onNew ? "new" : "legacy");
    // For plugins that run later in this request (a logger, a rate limiter by account).
    kong.ctx().shared().set("account_id", account.id());
  }

  /** Answers the client with {@code status}; counts the denial by {@code reason} (a fixed word). */
  private void reject(Kong kong, int status, String reason, String message) {
    metrics.counter("denials", "reason", reason).increment();
    Map<String, String> headers = status == 401 ? Map.of("WWW-Authenticate", "Bearer") : Map.of();
    kong.response().exit(status, Map.of("message", message), headers);
  }
  // end::access[]
}
