package dev.kongpdk;

import static dev.kongpdk.plugin.Phase.ACCESS;
import static dev.kongpdk.plugin.Phase.CERTIFICATE;
import static dev.kongpdk.plugin.Phase.LOG;
import static dev.kongpdk.plugin.Phase.PREREAD;
import static dev.kongpdk.plugin.Phase.RESPONSE;
import static dev.kongpdk.plugin.Phase.REWRITE;

import dev.kongpdk.entity.UriCaptures;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * {@code kong.request}: reads the request the client sent to Kong.
 *
 * <p>An external plugin's log handler runs after the response has been sent, where Kong can only
 * answer from the request data it saved (headers, status, {@code kong.ctx.shared}): the functions
 * that read nginx's live request state are not available in the log phase. Read such values in an
 * earlier phase and keep them in {@link SharedCtx kong.ctx.shared}.
 */
public interface Request {

  /**
   * {@code kong.request.get_scheme()}: the scheme of the request URL, {@code "http"} or {@code
   * "https"}.
   *
   * <p>Phases: rewrite, access, response (not log: Kong raises there for external plugins).
   *
   * @return the scheme
   * @throws PdkException when Kong answers nothing (Kong 3.x: the call failed)
   */
  @LuaFunction(value = "kong.request.get_scheme", phases = {REWRITE, ACCESS, RESPONSE})
  String getScheme();

  /**
   * {@code kong.request.get_host()}: the host of the request URL, lower-case.
   *
   * <p>Phases: rewrite, access, response (not log: Kong raises there for external plugins).
   *
   * @return the host
   * @throws PdkException when Kong answers nothing (Kong 3.x: the call failed)
   */
  @LuaFunction(value = "kong.request.get_host", phases = {REWRITE, ACCESS, RESPONSE})
  String getHost();

  /**
   * {@code kong.request.get_port()}: the port the request was received on.
   *
   * <p>Phases: certificate, rewrite, access, response, preread (not log: Kong raises there for external plugins).
   *
   * @return the port
   * @throws PdkException when Kong answers nothing (Kong 3.x: the call failed)
   */
  @LuaFunction(value = "kong.request.get_port", phases = {CERTIFICATE, REWRITE, ACCESS, RESPONSE, PREREAD})
  int getPort();

  /**
   * {@code kong.request.get_forwarded_scheme()}: the scheme, taken from {@code X-Forwarded-Proto}
   * when the client is a trusted proxy.
   *
   * <p>Phases: rewrite, access, response (not log: Kong raises there for external plugins).
   *
   * @return the scheme
   * @throws PdkException when Kong answers nothing (Kong 3.x: the call failed)
   */
  @LuaFunction(value = "kong.request.get_forwarded_scheme", phases = {REWRITE, ACCESS, RESPONSE})
  String getForwardedScheme();

  /**
   * {@code kong.request.get_forwarded_host()}: the host, taken from {@code X-Forwarded-Host} when
   * the client is a trusted proxy.
   *
   * <p>Phases: rewrite, access, response (not log: Kong raises there for external plugins).
   *
   * @return the host
   * @throws PdkException when Kong answers nothing (Kong 3.x: the call failed)
   */
  @LuaFunction(value = "kong.request.get_forwarded_host", phases = {REWRITE, ACCESS, RESPONSE})
  String getForwardedHost();

  /**
   * {@code kong.request.get_forwarded_port()}: the port, taken from {@code X-Forwarded-Port} when
   * the client is a trusted proxy.
   *
   * <p>Phases: rewrite, access, response (not log: Kong raises there for external plugins).
   *
   * @return the port
   * @throws PdkException when Kong answers nothing (Kong 3.x: the call failed)
   */
  @LuaFunction(value = "kong.request.get_forwarded_port", phases = {REWRITE, ACCESS, RESPONSE})
  int getForwardedPort();

  /**
   * {@code kong.request.get_forwarded_path()}: the path, taken from {@code X-Forwarded-Path} when
   * the client is a trusted proxy.
   *
   * <p>Phases: rewrite, access, response (not log: Kong raises there for external plugins).
   *
   * @return the path
   * @throws PdkException when Kong answers nothing (Kong 3.x: the call failed)
   */
  @LuaFunction(value = "kong.request.get_forwarded_path", phases = {REWRITE, ACCESS, RESPONSE})
  String getForwardedPath();

  /**
   * {@code kong.request.get_forwarded_prefix()}: the path prefix from {@code X-Forwarded-Prefix}
   * when the client is a trusted proxy.
   *
   * <p>Phases: rewrite, access, response (not log: Kong raises there for external plugins).
   *
   * @return the prefix, or empty when there is none
   */
  @LuaFunction(value = "kong.request.get_forwarded_prefix", phases = {REWRITE, ACCESS, RESPONSE})
  Optional<String> getForwardedPrefix();

  /**
   * {@code kong.request.get_http_version()}: the HTTP version, for example {@code 1.1} or {@code
   * 2.0} (Kong sends HTTP/1.0 as the integer 1).
   *
   * <p>Phases: rewrite, access, response (not log: Kong raises there for external plugins).
   *
   * @return the version, or empty when Kong cannot tell
   */
  @LuaFunction(value = "kong.request.get_http_version", phases = {REWRITE, ACCESS, RESPONSE})
  OptionalDouble getHttpVersion();

  /**
   * {@code kong.request.get_method()}: the request method, for example {@code "GET"}.
   *
   * <p>Phases: rewrite, access, response (not log: Kong raises there for external plugins).
   *
   * @return the method
   * @throws PdkException when Kong answers nothing (Kong 3.x: the call failed)
   */
  @LuaFunction(value = "kong.request.get_method", phases = {REWRITE, ACCESS, RESPONSE})
  String getMethod();

  /**
   * {@code kong.request.get_path()}: the normalized path of the request URL, without the query.
   *
   * <p>Phases: rewrite, access, response (not log: Kong raises there for external plugins).
   *
   * @return the path
   * @throws PdkException when Kong answers nothing (Kong 3.x: the call failed)
   */
  @LuaFunction(value = "kong.request.get_path", phases = {REWRITE, ACCESS, RESPONSE})
  String getPath();

  /**
   * {@code kong.request.get_raw_path()}: the path of the request URL as the client sent it, not
   * normalized.
   *
   * <p>Phases: rewrite, access, response (not log: Kong raises there for external plugins).
   *
   * @return the path
   * @throws PdkException when Kong answers nothing (the call failed, or this Kong version lacks the
   *     function)
   */
  @LuaFunction(value = "kong.request.get_raw_path", phases = {REWRITE, ACCESS, RESPONSE}, since = "3")
  String getRawPath();

  /**
   * {@code kong.request.get_path_with_query()}: the path and, if present, {@code ?} and the query.
   *
   * <p>Phases: rewrite, access, response (not log: Kong raises there for external plugins).
   *
   * @return the path with the query
   * @throws PdkException when Kong answers nothing (Kong 3.x: the call failed)
   */
  @LuaFunction(value = "kong.request.get_path_with_query", phases = {REWRITE, ACCESS, RESPONSE})
  String getPathWithQuery();

  /**
   * {@code kong.request.get_raw_query()}: the query string without the {@code ?}; empty when the
   * URL has none.
   *
   * <p>Phases: rewrite, access, response (not log: Kong raises there for external plugins).
   *
   * @return the query string
   * @throws PdkException when Kong answers nothing (Kong 3.x: the call failed)
   */
  @LuaFunction(value = "kong.request.get_raw_query", phases = {REWRITE, ACCESS, RESPONSE})
  String getRawQuery();

  /**
   * {@code kong.request.get_query_arg(name)}: the first value of a query argument. A flag without
   * value ({@code ?flag}, which Kong reports as {@code true}) reads as {@code ""}, the same as
   * {@code ?flag=}; {@link #getQuery()} tells them apart.
   *
   * <p>Phases: rewrite, access, response (not log: Kong raises there for external plugins).
   *
   * @param name the argument name
   * @return the value, or empty when the argument is absent
   */
  @LuaFunction(value = "kong.request.get_query_arg", phases = {REWRITE, ACCESS, RESPONSE})
  Optional<String> getQueryArg(String name);

  /**
   * {@code kong.request.get_query()}: all query arguments (Kong reads at most 100), names mapped to
   * their values in order. A flag without value ({@code ?flag}) maps to an empty list, {@code
   * ?flag=} to a list with {@code ""}; in {@code ?a&a=1} the flag is left out ({@code ["1"]}).
   *
   * <p>Phases: rewrite, access, response (not log: Kong raises there for external plugins).
   *
   * @return an unmodifiable map; empty when there is no query (or Kong 3.x failed)
   */
  @LuaFunction(value = "kong.request.get_query", phases = {REWRITE, ACCESS, RESPONSE})
  Map<String, List<String>> getQuery();

  /**
   * {@code kong.request.get_query(max_args)}: as {@link #getQuery()}, reading at most {@code
   * maxArgs} arguments.
   *
   * <p>Phases: rewrite, access, response (not log: Kong raises there for external plugins).
   *
   * @param maxArgs the limit, 1 to 1000
   * @return an unmodifiable map; empty when there is no query (or Kong 3.x failed)
   */
  @LuaFunction(value = "kong.request.get_query", phases = {REWRITE, ACCESS, RESPONSE})
  Map<String, List<String>> getQuery(int maxArgs);

  /**
   * {@code kong.request.get_header(name)}: the first value of a request header. Header names are
   * case-insensitive.
   *
   * <p>Phases: rewrite, access, response, log.
   *
   * @param name the header name
   * @return the first value, or empty when the header is absent
   */
  @LuaFunction(value = "kong.request.get_header", phases = {REWRITE, ACCESS, RESPONSE, LOG}, savedForLog = true)
  Optional<String> getHeader(String name);

  /**
   * {@code kong.request.get_headers()}: all request headers (Kong reads at most 100), names mapped
   * to their values in order. Lookups in the map ignore the case of names.
   *
   * <p>Phases: rewrite, access, response, log.
   *
   * @return an unmodifiable map; empty when there are no headers
   */
  @LuaFunction(value = "kong.request.get_headers", phases = {REWRITE, ACCESS, RESPONSE, LOG}, savedForLog = true)
  Map<String, List<String>> getHeaders();

  /**
   * {@code kong.request.get_headers(max_headers)}: as {@link #getHeaders()}, reading at most {@code
   * maxHeaders} headers.
   *
   * <p>Phases: rewrite, access, response, log.
   *
   * @param maxHeaders the limit, 1 to 1000
   * @return an unmodifiable map; empty when there are no headers
   */
  @LuaFunction(value = "kong.request.get_headers", phases = {REWRITE, ACCESS, RESPONSE, LOG}, savedForLog = true)
  Map<String, List<String>> getHeaders(int maxHeaders);

  /**
   * {@code kong.request.get_raw_body()}: the request body as bytes.
   *
   * <p>Phases: rewrite, access, response.
   *
   * @return the body (empty array for an empty body), or empty when Kong could not read it (for
   *     example a body nginx buffered to a file; Kong 2.8 raises a {@link PdkException} with the
   *     reason instead)
   */
  @LuaFunction(value = "kong.request.get_raw_body", phases = {REWRITE, ACCESS, RESPONSE})
  Optional<byte[]> getRawBody();

  /**
   * {@code kong.request.get_raw_body(max_allowed_file_size)}: as {@link #getRawBody()}, also
   * reading a body nginx buffered to a file if it is at most {@code maxAllowedFileSize} bytes (Kong
   * versions without this argument ignore it).
   *
   * <p>Phases: rewrite, access, response.
   *
   * @param maxAllowedFileSize the largest file-buffered body to read, in bytes
   * @return the body, or empty when Kong could not read it
   */
  @LuaFunction(value = "kong.request.get_raw_body", phases = {REWRITE, ACCESS, RESPONSE})
  Optional<byte[]> getRawBody(long maxAllowedFileSize);

  /**
   * {@code kong.request.get_body()}: the request body decoded by its content type: JSON, {@code
   * application/x-www-form-urlencoded} or {@code multipart/form-data}. Values are plain Java values
   * ({@code String}, {@code Long}, {@code Double}, {@code Boolean}, {@code List}, {@code Map}); a
   * form flag without value is {@code true}, a repeated form field a {@code List}; an empty JSON
   * object or array arrives as an empty {@code List} (Kong cannot tell them apart); JSON {@code
   * null} members of objects are left out, while a {@code null} inside an array stays in place. The
   * map and everything in it are unmodifiable.
   *
   * <p>Phases: rewrite, access, response.
   *
   * @return the decoded body, or empty when Kong could not decode it (missing or unsupported content
   *     type, invalid body; Kong 2.8 raises a {@link PdkException} with the reason instead)
   * @throws PdkException when the body is a JSON array or scalar rather than an object
   */
  @LuaFunction(value = "kong.request.get_body", phases = {REWRITE, ACCESS, RESPONSE})
  Optional<Map<String, Object>> getBody();

  /**
   * {@code kong.request.get_body(mimetype)}: as {@link #getBody()}, decoding as {@code mimetype}
   * whatever the request's content type says.
   *
   * <p>Phases: rewrite, access, response.
   *
   * @param mimetype {@code "application/json"}, {@code "application/x-www-form-urlencoded"} or
   *     {@code "multipart/form-data"}
   * @return the decoded body, or empty when Kong could not decode it
   */
  @LuaFunction(value = "kong.request.get_body", phases = {REWRITE, ACCESS, RESPONSE})
  Optional<Map<String, Object>> getBody(String mimetype);

  /**
   * {@code kong.request.get_body(mimetype, max_args)}: as {@link #getBody(String)}, reading at most
   * {@code maxArgs} form arguments.
   *
   * <p>Phases: rewrite, access, response.
   *
   * @param mimetype the content type to decode as
   * @param maxArgs the limit of form arguments, 1 to 1000
   * @return the decoded body, or empty when Kong could not decode it
   */
  @LuaFunction(value = "kong.request.get_body", phases = {REWRITE, ACCESS, RESPONSE})
  Optional<Map<String, Object>> getBody(String mimetype, int maxArgs);

  /**
   * {@code kong.request.get_body(mimetype, max_args, max_allowed_file_size)}: as {@link
   * #getBody(String, int)}, also reading a body nginx buffered to a file of at most {@code
   * maxAllowedFileSize} bytes (Kong versions without this argument ignore it).
   *
   * <p>Phases: rewrite, access, response.
   *
   * @param mimetype the content type to decode as
   * @param maxArgs the limit of form arguments, 1 to 1000
   * @param maxAllowedFileSize the largest file-buffered body to read, in bytes
   * @return the decoded body, or empty when Kong could not decode it
   */
  @LuaFunction(value = "kong.request.get_body", phases = {REWRITE, ACCESS, RESPONSE})
  Optional<Map<String, Object>> getBody(String mimetype, int maxArgs, long maxAllowedFileSize);

  /**
   * {@code kong.request.get_start_time()}: when Kong received the request, in milliseconds since
   * the epoch.
   *
   * <p>Phases: rewrite, access, response, log.
   *
   * @return the time, or empty on Kong 2.8, which lacks the function over the bridge
   */
  @LuaFunction(value = "kong.request.get_start_time", phases = {REWRITE, ACCESS, RESPONSE, LOG}, since = "3")
  OptionalLong getStartTime();

  /**
   * {@code kong.request.get_uri_captures()}: the regex captures of the matched route path.
   *
   * <p>Phases: rewrite, access, response, log.
   *
   * @return the captures; both empty when the route has no regex path, and always on Kong 2.8,
   *     which lacks the function over the bridge
   */
  @LuaFunction(value = "kong.request.get_uri_captures", phases = {REWRITE, ACCESS, RESPONSE, LOG}, since = "3.1")
  UriCaptures getUriCaptures();
}
