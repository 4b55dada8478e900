package dev.kongpdk;

import static dev.kongpdk.plugin.Phase.LOG;
import static dev.kongpdk.plugin.Phase.RESPONSE;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code kong.service.response}: the response the upstream service sent, as Kong received it
 * (before other plugins changed it).
 */
public interface ServiceResponse {

  /**
   * {@code kong.service.response.get_status()}: the upstream's status.
   *
   * <p>Phases: response, log.
   *
   * @return the status, or empty when the request was not proxied (for example after an {@code
   *     exit})
   */
  @LuaFunction(value = "kong.service.response.get_status", phases = {RESPONSE, LOG})
  OptionalInt getStatus();

  /**
   * {@code kong.service.response.get_header(name)}: the first value of an upstream response
   * header. Header names are case-insensitive.
   *
   * <p>Phases: response, log.
   *
   * @param name the header name
   * @return the first value, or empty when the header is absent
   */
  @LuaFunction(value = "kong.service.response.get_header", phases = {RESPONSE, LOG})
  Optional<String> getHeader(String name);

  /**
   * {@code kong.service.response.get_headers()}: the upstream response headers (Kong reads at most
   * 100). Lookups in the map ignore the case of names. Kong 2.8 to 3.9 answer an empty map in the
   * response phase of an external plugin; use {@link #getHeader(String)} there.
   *
   * <p>Phases: response, log.
   *
   * @return an unmodifiable map; empty when there are none
   */
  @LuaFunction(value = "kong.service.response.get_headers", phases = {RESPONSE, LOG})
  Map<String, List<String>> getHeaders();

  /**
   * {@code kong.service.response.get_headers(max_headers)}: as {@link #getHeaders()}, reading at
   * most {@code maxHeaders} headers.
   *
   * <p>Phases: response, log.
   *
   * @param maxHeaders the limit, 1 to 1000
   * @return an unmodifiable map; empty when there are none
   */
  @LuaFunction(value = "kong.service.response.get_headers", phases = {RESPONSE, LOG})
  Map<String, List<String>> getHeaders(int maxHeaders);

  /**
   * {@code kong.service.response.get_raw_body()}: the upstream response body as bytes. A plugin
   * with a response phase makes Kong buffer it.
   *
   * <p>Phases: response.
   *
   * @return the body, or empty when Kong did not buffer it
   */
  @LuaFunction(value = "kong.service.response.get_raw_body", phases = {RESPONSE})
  Optional<byte[]> getRawBody();

  /**
   * {@code kong.service.response.get_body()}: the upstream response body decoded by its content
   * type, with the same value shapes as {@link Request#getBody()}.
   *
   * <p>Phases: response.
   *
   * @return the decoded body, or empty when Kong could not decode it (Kong 2.8 raises a {@link
   *     PdkException} with the reason instead)
   */
  @LuaFunction(value = "kong.service.response.get_body", phases = {RESPONSE})
  Optional<Map<String, Object>> getBody();

  /**
   * {@code kong.service.response.get_body(mimetype)}: as {@link #getBody()}, decoding as {@code
   * mimetype}.
   *
   * <p>Phases: response.
   *
   * @param mimetype the content type to decode as
   * @return the decoded body, or empty when Kong could not decode it
   */
  @LuaFunction(value = "kong.service.response.get_body", phases = {RESPONSE})
  Optional<Map<String, Object>> getBody(String mimetype);

  /**
   * {@code kong.service.response.get_body(mimetype, max_args)}: as {@link #getBody(String)},
   * reading at most {@code maxArgs} form arguments.
   *
   * <p>Phases: response.
   *
   * @param mimetype the content type to decode as
   * @param maxArgs the limit of form arguments, 1 to 1000
   * @return the decoded body, or empty when Kong could not decode it
   */
  @LuaFunction(value = "kong.service.response.get_body", phases = {RESPONSE})
  Optional<Map<String, Object>> getBody(String mimetype, int maxArgs);
}
