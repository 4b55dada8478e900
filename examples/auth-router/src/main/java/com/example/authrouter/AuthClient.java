package com.example.authrouter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Asks the auth service about a token: {@code GET <auth_url>} with {@code Authorization: Bearer
 * <token>}. The service answers 200 with the account as JSON ({@code {"account_id": "a-1",
 * "version": 2, "plan": "gold", "features": ["new-backend"]}}), 401 for an unknown token or 403
 * for a token that may not pass. Anything else, and no answer within the timeout, is an outage.
 */
final class AuthClient {

  private final HttpClient http;
  private final URI uri;
  private final Duration timeout;
  private final ObjectMapper json = new ObjectMapper();

  AuthClient(URI uri, Duration timeout) {
    this.uri = uri;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  AuthAnswer check(String token) {
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(timeout)
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json")
        .GET()
        .build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return new AuthAnswer.Unavailable("no answer from " + uri + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new AuthAnswer.Unavailable("interrupted while asking " + uri);
    }
    return switch (response.statusCode()) {
      case 200 -> account(response.body());
      case 401 -> new AuthAnswer.Denied(401, "invalid token");
      case 403 -> new AuthAnswer.Denied(403, "access denied");
      default -> new AuthAnswer.Unavailable(uri + " answered " + response.statusCode());
    };
  }

  private AuthAnswer account(byte[] body) {
    try {
      JsonNode node = json.readTree(body);
      JsonNode id = node.path("account_id");
      if (!id.isTextual() || id.asText().isEmpty()) {
        return new AuthAnswer.Unavailable(uri + " answered 200 without an account_id");
      }
      Set<String> features = new HashSet<>();
      node.path("features").forEach(f -> features.add(f.asText()));
      return new AuthAnswer.Allowed(new Account(
          id.asText(), node.path("version").asInt(1), node.path("plan").asText(""), features));
    } catch (IOException e) {
      return new AuthAnswer.Unavailable(uri + " answered 200 with a body that is not JSON");
    }
  }
}
