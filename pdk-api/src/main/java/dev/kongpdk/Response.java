package dev.kongpdk;

import java.util.Map;

/** {@code kong.response}: the response Kong sends to the client. */
public interface Response {

  /**
   * {@code kong.response.set_header(name, value)}: sets a response header, replacing earlier
   * values.
   *
   * <p>Phases: rewrite, access, response.
   *
   * @param name the header name
   * @param value the header value
   */
  void setHeader(String name, String value);

  /**
   * {@code kong.response.exit(status)}: ends the request with {@code status} and no body; Kong
   * skips the remaining plugins of the phase and the upstream. Kong never answers this call: no
   * further PDK call of this event is possible, and the phase method should return.
   *
   * <p>Phases: rewrite, access, response, preread.
   *
   * @param status the HTTP status, 100 to 599
   */
  void exit(int status);

  /**
   * {@code kong.response.exit(status, body)}: ends the request with {@code status} and a body sent
   * as is. See {@link #exit(int)}.
   *
   * @param status the HTTP status, 100 to 599
   * @param body the body
   */
  void exit(int status, String body);

  /**
   * {@code kong.response.exit(status, body, headers)}: ends the request with {@code status}, a
   * body and headers. A {@code Map} body is sent as JSON by Kong, a {@code String} as is. See
   * {@link #exit(int)}.
   *
   * @param status the HTTP status, 100 to 599
   * @param body a {@code String}, {@code byte[]} or {@code Map<String, ?>} (sent as JSON)
   * @param headers response headers; values are strings or lists of strings
   */
  void exit(int status, Object body, Map<String, ?> headers);
}
