package dev.kongpdk;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code kong.request}: reads the request the client sent to Kong. */
public interface Request {

  /**
   * {@code kong.request.get_header(name)}: the first value of a request header. Header names are
   * case-insensitive.
   *
   * <p>Phases: rewrite, access, response, log.
   *
   * @param name the header name
   * @return the first value, or empty when the header is absent
   */
  Optional<String> getHeader(String name);

  /**
   * {@code kong.request.get_headers()}: all request headers, lower-case names mapped to their
   * values in order.
   *
   * <p>Phases: rewrite, access, response, log.
   *
   * @return an unmodifiable map; empty when there are no headers
   */
  Map<String, List<String>> getHeaders();
}
