package dev.kongpdk.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The response the client received from the simulated Kong.
 *
 * @param status the HTTP status
 * @param headers the response headers
 * @param body the body bytes
 * @param source where it came from, as {@code kong.response.get_source()} says: {@code service},
 *     {@code exit} or {@code error}
 */
public record ClientResponse(int status, Headers headers, byte[] body, String source) {

  /** Copies the body so that the record stays immutable. */
  public ClientResponse {
    body = body.clone();
  }

  /** Returns a copy of the body bytes. */
  @Override
  public byte[] body() {
    return body.clone();
  }

  /** Returns the body decoded as UTF-8. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * Returns the first value of a header, case-insensitively.
   *
   * @param name the header name, any case
   * @return the value, or empty when absent
   */
  public Optional<String> header(String name) {
    return headers.first(name);
  }
}
