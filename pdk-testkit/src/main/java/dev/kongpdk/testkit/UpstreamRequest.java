package dev.kongpdk.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The request Kong sends to the upstream service after the plugins changed it with {@code
 * kong.service.*} and {@code kong.service.request.*}.
 *
 * @param method the HTTP method
 * @param scheme {@code http} or {@code https}
 * @param host the host Kong connects to (the service host, or the target set by a plugin)
 * @param port the port Kong connects to
 * @param path the upstream path
 * @param rawQuery the query string without {@code ?}; empty when there is none
 * @param headers the headers sent upstream
 * @param body the body bytes
 * @param upstreamName the upstream set with {@code kong.service.set_upstream}, if any
 * @param retries the retries set with {@code kong.service.set_retries}, if any
 * @param timeouts the timeouts set with {@code kong.service.set_timeouts}, if any
 */
public record UpstreamRequest(
    String method,
    String scheme,
    String host,
    int port,
    String path,
    String rawQuery,
    Headers headers,
    byte[] body,
    Optional<String> upstreamName,
    Optional<Integer> retries,
    Optional<Timeouts> timeouts) {

  /** Copies the body so that the record stays immutable. */
  public UpstreamRequest {
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

  /** Returns the first value of a header, case-insensitively. @param name the name @return the value */
  public Optional<String> header(String name) {
    return headers.first(name);
  }

  /** Returns the path with {@code ?query} when there is a query. */
  public String pathWithQuery() {
    return rawQuery.isEmpty() ? path : path + "?" + rawQuery;
  }

  /**
   * The timeouts set with {@code kong.service.set_timeouts}, in milliseconds.
   *
   * @param connect the connect timeout
   * @param write the write timeout
   * @param read the read timeout
   */
  public record Timeouts(long connect, long write, long read) {}
}
