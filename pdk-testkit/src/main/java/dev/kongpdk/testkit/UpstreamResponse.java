package dev.kongpdk.testkit;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the simulated upstream service answers. Use {@link #status(int)} for a canned answer,
 * {@link #echo()} for one that reflects the upstream request, or any {@link Upstream} function.
 */
public final class UpstreamResponse {

  private final int status;
  private final Headers headers;
  private final byte[] body;

  private UpstreamResponse(int status, Headers headers, byte[] body) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("upstream status must be 100 to 599, got " + status);
    }
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  /**
   * Starts a canned response with {@code status}, no headers and no body.
   *
   * @param status the HTTP status
   * @return the response
   */
  public static UpstreamResponse status(int status) {
    return new UpstreamResponse(status, Headers.empty(), new byte[0]);
  }

  /**
   * Returns an upstream that answers 200 with a JSON echo of the request it received: {@code
   * {"method","path","query","headers","body"}} (headers as name to list of values, the body as
   * UTF-8 text), and the header {@code content-type: application/json}.
   *
   * @return the echoing upstream
   */
  public static Upstream echo() {
    return Upstream.ECHO;
  }

  /**
   * Returns a copy with a header value added.
   *
   * @param name the name
   * @param value the value
   * @return the changed copy
   */
  public UpstreamResponse header(String name, String value) {
    return new UpstreamResponse(status, headers.with(name, value), body);
  }

  /**
   * Returns a copy with the UTF-8 bytes of {@code text} as body.
   *
   * @param text the body
   * @return the changed copy
   */
  public UpstreamResponse body(String text) {
    return body(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Returns a copy with {@code bytes} as body.
   *
   * @param bytes the body, any binary content
   * @return the changed copy
   */
  public UpstreamResponse body(byte[] bytes) {
    return new UpstreamResponse(status, headers, bytes.clone());
  }

  /**
   * Returns a copy with a JSON body and {@code content-type: application/json}.
   *
   * @param json the JSON text
   * @return the changed copy
   */
  public UpstreamResponse json(String json) {
    return new UpstreamResponse(
            status, headers.replacing("content-type", List.of("application/json")), body)
        .body(json);
  }

  /** Returns the status. */
  public int statusCode() {
    return status;
  }

  /** Returns the headers. */
  public Headers headers() {
    return headers;
  }

  /** Returns a copy of the body bytes. */
  public byte[] bodyBytes() {
    return body.clone();
  }
}
