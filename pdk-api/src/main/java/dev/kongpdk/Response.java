package dev.kongpdk;

import static dev.kongpdk.plugin.Phase.ACCESS;
import static dev.kongpdk.plugin.Phase.LOG;
import static dev.kongpdk.plugin.Phase.PREREAD;
import static dev.kongpdk.plugin.Phase.RESPONSE;
import static dev.kongpdk.plugin.Phase.REWRITE;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kong.response}: the response Kong sends to the client.
 *
 * <p>{@code exit} and {@code error} are terminal: Kong never answers them. The Java methods return
 * normally, every later PDK call of the same event throws {@link PdkException}, and the phase
 * method should return.
 */
public interface Response {

  /**
   * {@code kong.response.get_status()}: the status Kong will send or sent to the client.
   *
   * <p>Phases: response, log.
   *
   * @return the status
   * @throws PdkException when Kong answers nothing (Kong 3.x: the call failed)
   */
  @LuaFunction(value = "kong.response.get_status", phases = {RESPONSE, LOG}, savedForLog = true)
  int getStatus();

  /**
   * {@code kong.response.get_header(name)}: the first value of a response header. Header names
   * are case-insensitive.
   *
   * <p>Phases: response, log.
   *
   * @param name the header name
   * @return the first value, or empty when the header is absent
   */
  @LuaFunction(value = "kong.response.get_header", phases = {RESPONSE, LOG}, savedForLog = true)
  Optional<String> getHeader(String name);

  /**
   * {@code kong.response.get_headers()}: all response headers (Kong reads at most 100), names
   * mapped to their values in order. Lookups in the map ignore the case of names.
   *
   * <p>Phases: response, log.
   *
   * @return an unmodifiable map; empty when there are none (or Kong 3.x failed)
   */
  @LuaFunction(value = "kong.response.get_headers", phases = {RESPONSE, LOG}, savedForLog = true)
  Map<String, List<String>> getHeaders();

  /**
   * {@code kong.response.get_headers(max_headers)}: as {@link #getHeaders()}, reading at most
   * {@code maxHeaders} headers.
   *
   * <p>Phases: response, log.
   *
   * @param maxHeaders the limit, 1 to 1000
   * @return an unmodifiable map; empty when there are none (or Kong 3.x failed)
   */
  @LuaFunction(value = "kong.response.get_headers", phases = {RESPONSE, LOG}, savedForLog = true)
  Map<String, List<String>> getHeaders(int maxHeaders);

  /**
   * {@code kong.response.get_source()}: where the response comes from: {@code "service"} (the
   * upstream answered), {@code "exit"} (a plugin called {@code exit}) or {@code "error"} (an error
   * in Kong or while proxying).
   *
   * <p>Phases: response, log.
   *
   * @return the source
   * @throws PdkException when Kong answers nothing (Kong 3.x: the call failed)
   */
  @LuaFunction(value = "kong.response.get_source", phases = {RESPONSE, LOG}, savedForLog = true)
  String getSource();

  /**
   * {@code kong.response.set_status(status)}: sets the status sent to the client.
   *
   * <p>Phases: rewrite, access, response.
   *
   * @param status the HTTP status, 100 to 599
   */
  @LuaFunction(value = "kong.response.set_status", phases = {REWRITE, ACCESS, RESPONSE})
  void setStatus(int status);

  /**
   * {@code kong.response.set_header(name, value)}: sets a response header, replacing earlier
   * values.
   *
   * <p>Phases: rewrite, access, response.
   *
   * @param name the header name
   * @param value the header value
   */
  @LuaFunction(value = "kong.response.set_header", phases = {REWRITE, ACCESS, RESPONSE})
  void setHeader(String name, String value);

  /**
   * {@code kong.response.set_headers({[name] = values})}: sets a response header to several
   * values, replacing earlier values. It is sent as {@code set_headers} with one entry because Kong
   * 2.8's {@code set_header} takes a single value only (a list ends the event with a Lua error);
   * Kong 3.x does the same either way.
   *
   * <p>Phases: rewrite, access, response.
   *
   * @param name the header name
   * @param values the values, sent as separate header lines; none removes the header
   */
  @LuaFunction(value = "kong.response.set_headers", phases = {REWRITE, ACCESS, RESPONSE})
  void setHeader(String name, List<String> values);

  /**
   * {@code kong.response.add_header(name, value)}: adds a value to a response header, keeping
   * earlier values.
   *
   * <p>Phases: rewrite, access, response.
   *
   * @param name the header name
   * @param value the value to add
   */
  @LuaFunction(value = "kong.response.add_header", phases = {REWRITE, ACCESS, RESPONSE})
  void addHeader(String name, String value);

  /**
   * {@code kong.response.clear_header(name)}: removes every value of a response header.
   *
   * <p>Phases: rewrite, access, response.
   *
   * @param name the header name
   */
  @LuaFunction(value = "kong.response.clear_header", phases = {REWRITE, ACCESS, RESPONSE})
  void clearHeader(String name);

  /**
   * {@code kong.response.set_headers(headers)}: sets several response headers at once, each
   * replacing earlier values of that header.
   *
   * <p>Phases: rewrite, access, response.
   *
   * @param headers names mapped to their values
   */
  @LuaFunction(value = "kong.response.set_headers", phases = {REWRITE, ACCESS, RESPONSE})
  void setHeaders(Map<String, List<String>> headers);

  /**
   * {@code kong.response.exit(status)}: ends the request with {@code status} and no body; Kong
   * skips the remaining plugins of the phase and the upstream. Kong never answers this call: no
   * further PDK call of this event is possible, and the phase method should return. In the preread
   * phase (stream subsystem) Kong accepts only the statuses 200, 400, 403, 500, 502 and 503, and
   * closes the connection.
   *
   * <p>Phases: rewrite, access, response, preread.
   *
   * @param status the HTTP status, 100 to 599
   */
  @LuaFunction(value = "kong.response.exit", phases = {REWRITE, ACCESS, RESPONSE, PREREAD})
  void exit(int status);

  /**
   * {@code kong.response.exit(status, body)}: ends the request with {@code status} and a body sent
   * as is. See {@link #exit(int)}.
   *
   * <p>Phases: rewrite, access, response, preread.
   *
   * @param status the HTTP status, 100 to 599
   * @param body the body
   */
  @LuaFunction(value = "kong.response.exit", phases = {REWRITE, ACCESS, RESPONSE, PREREAD})
  void exit(int status, String body);

  /**
   * {@code kong.response.exit(status, body, headers)}: ends the request with {@code status}, a
   * body and headers. A {@code Map} body is sent as JSON by Kong, a {@code String} or {@code
   * byte[]} as is; a {@code null} body means none. See {@link #exit(int)}.
   *
   * <p>Phases: rewrite, access, response, preread.
   *
   * @param status the HTTP status, 100 to 599
   * @param body a {@code String}, {@code byte[]} or {@code Map<String, ?>} (sent as JSON)
   * @param headers response headers; values are strings or lists of strings
   */
  @LuaFunction(value = "kong.response.exit", phases = {REWRITE, ACCESS, RESPONSE, PREREAD})
  void exit(int status, Object body, Map<String, ?> headers);

  /**
   * {@code kong.response.error(status)}: ends the request with an error response in Kong's format
   * (JSON, XML, HTML or text, following the client's {@code Accept} header) and Kong's default
   * message for {@code status}. Terminal like {@link #exit(int)}.
   *
   * <p>Phases: rewrite, access, response.
   *
   * @param status the HTTP status, 400 to 599
   */
  @LuaFunction(value = "kong.response.error", phases = {REWRITE, ACCESS, RESPONSE})
  void error(int status);

  /**
   * {@code kong.response.error(status, message)}: as {@link #error(int)} with {@code message}.
   *
   * <p>Phases: rewrite, access, response.
   *
   * @param status the HTTP status, 400 to 599
   * @param message the message shown in the error body
   */
  @LuaFunction(value = "kong.response.error", phases = {REWRITE, ACCESS, RESPONSE})
  void error(int status, String message);

  /**
   * {@code kong.response.error(status, message, headers)}: as {@link #error(int, String)} with
   * response headers.
   *
   * <p>Phases: rewrite, access, response.
   *
   * @param status the HTTP status, 400 to 599
   * @param message the message shown in the error body
   * @param headers response headers; values are strings or lists of strings
   */
  @LuaFunction(value = "kong.response.error", phases = {REWRITE, ACCESS, RESPONSE})
  void error(int status, String message, Map<String, ?> headers);
}
