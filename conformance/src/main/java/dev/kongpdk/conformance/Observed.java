package dev.kongpdk.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one request produced: the client response and, when the echo upstream answered, the
 * request it received; and Kong's error log of the whole run.
 *
 * @param status the client's status
 * @param headers the client's response headers, lower-case names
 * @param body the client's response body
 * @param upstream the echo upstream's view of the request ({@code method}, {@code uri},
 *     {@code headers}), or {@code null} when the upstream did not answer
 * @param log Kong's error log of the run
 */
public record Observed(int status, Map<String, List<String>> headers, byte[] body, JsonNode upstream, String log) {

  /** Returns the same observation with Kong's error log of the run. */
  public Observed withLog(String text) {
    return new Observed(status, headers, body, upstream, text);
  }

  /** Returns the client's header values, or an empty list. */
  public List<String> header(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  /** Returns the body as UTF-8 text. */
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Returns what the upstream received in header {@code name}, as Kong's echo shows it, or null. */
  public JsonNode upstreamHeader(String name) {
    return upstream == null ? null : upstream.path("headers").get(name.toLowerCase(Locale.ROOT));
  }

  /** Returns the URI the upstream received, or null. */
  public String upstreamUri() {
    return upstream == null ? null : upstream.path("uri").asText();
  }
}
