package dev.kongpdk;

import static dev.kongpdk.plugin.Phase.ACCESS;
import static dev.kongpdk.plugin.Phase.PREREAD;
import static dev.kongpdk.plugin.Phase.REWRITE;

import java.util.List;
import java.util.Map;

/** {@code kong.service.request}: changes the request Kong sends to the upstream service. */
public interface ServiceRequest {

  /**
   * {@code kong.service.request.enable_buffering()}: buffers the upstream response so that the
   * response phase can read and change it ({@link ServiceResponse#getRawBody()}).
   *
   * <p>Phases: rewrite, access.
   */
  @LuaFunction(value = "kong.service.request.enable_buffering", phases = {REWRITE, ACCESS})
  void enableBuffering();

  /**
   * {@code kong.service.request.set_scheme(scheme)}: the protocol used upstream.
   *
   * <p>Phases: rewrite, access (Kong 2.8: access only).
   *
   * @param scheme {@code "http"} or {@code "https"}
   */
  @LuaFunction(value = "kong.service.request.set_scheme", phases = {REWRITE, ACCESS}, kong2Phases = {ACCESS})
  void setScheme(String scheme);

  /**
   * {@code kong.service.request.set_path(path)}: the path of the upstream request, without the
   * query.
   *
   * <p>Phases: rewrite, access (Kong 2.8: access only).
   *
   * @param path the path, starting with {@code /}
   */
  @LuaFunction(value = "kong.service.request.set_path", phases = {REWRITE, ACCESS}, kong2Phases = {ACCESS})
  void setPath(String path);

  /**
   * {@code kong.service.request.set_raw_query(query)}: the query string of the upstream request,
   * without the {@code ?}, sent as is.
   *
   * <p>Phases: rewrite, access.
   *
   * @param query the query string
   */
  @LuaFunction(value = "kong.service.request.set_raw_query", phases = {REWRITE, ACCESS})
  void setRawQuery(String query);

  /**
   * {@code kong.service.request.set_method(method)}: the method of the upstream request.
   *
   * <p>Phases: rewrite, access.
   *
   * @param method an upper-case HTTP method, for example {@code "PUT"}
   */
  @LuaFunction(value = "kong.service.request.set_method", phases = {REWRITE, ACCESS})
  void setMethod(String method);

  /**
   * {@code kong.service.request.set_query(args)}: replaces the query of the upstream request,
   * encoding the arguments. An empty list stands for a flag without value ({@code ?flag}), as
   * {@link Request#getQuery()} reports it.
   *
   * <p>Phases: rewrite, access.
   *
   * @param args names mapped to their values
   */
  @LuaFunction(value = "kong.service.request.set_query", phases = {REWRITE, ACCESS})
  void setQuery(Map<String, List<String>> args);

  /**
   * {@code kong.service.request.clear_query_arg(name)}: removes every occurrence of a query
   * argument from the upstream request.
   *
   * <p>Phases: rewrite, access.
   *
   * @param name the argument name
   */
  @LuaFunction(value = "kong.service.request.clear_query_arg", phases = {REWRITE, ACCESS}, since = "3")
  void clearQueryArg(String name);

  /**
   * {@code kong.service.request.set_header(name, value)}: sets a header of the upstream request,
   * replacing earlier values.
   *
   * <p>Phases: rewrite, access.
   *
   * @param name the header name
   * @param value the header value
   */
  @LuaFunction(value = "kong.service.request.set_header", phases = {REWRITE, ACCESS})
  void setHeader(String name, String value);

  /**
   * {@code kong.service.request.set_headers({[name] = values})}: sets a header of the upstream
   * request to several values, replacing earlier values. It is sent as {@code set_headers} with
   * one entry because Kong 2.8's {@code set_header} takes a single value only (a list ends the
   * event with a Lua error); Kong 3.x does the same either way.
   *
   * <p>Phases: rewrite, access.
   *
   * @param name the header name
   * @param values the values, sent as separate header lines; none removes the header
   */
  @LuaFunction(value = "kong.service.request.set_headers", phases = {REWRITE, ACCESS})
  void setHeader(String name, List<String> values);

  /**
   * {@code kong.service.request.add_header(name, value)}: adds a value to a header of the upstream
   * request, keeping earlier values.
   *
   * <p>Phases: rewrite, access.
   *
   * @param name the header name
   * @param value the value to add
   */
  @LuaFunction(value = "kong.service.request.add_header", phases = {REWRITE, ACCESS})
  void addHeader(String name, String value);

  /**
   * {@code kong.service.request.clear_header(name)}: removes every value of a header from the
   * upstream request.
   *
   * <p>Phases: rewrite, access.
   *
   * @param name the header name
   */
  @LuaFunction(value = "kong.service.request.clear_header", phases = {REWRITE, ACCESS})
  void clearHeader(String name);

  /**
   * {@code kong.service.request.set_headers(headers)}: sets several headers of the upstream
   * request at once, each replacing earlier values of that header.
   *
   * <p>Phases: rewrite, access.
   *
   * @param headers names mapped to their values
   */
  @LuaFunction(value = "kong.service.request.set_headers", phases = {REWRITE, ACCESS})
  void setHeaders(Map<String, List<String>> headers);

  /**
   * {@code kong.service.request.set_raw_body(body)}: the body of the upstream request, sent as is;
   * Kong sets {@code Content-Length}.
   *
   * <p>Phases: rewrite, access.
   *
   * @param body the body
   */
  @LuaFunction(value = "kong.service.request.set_raw_body", phases = {REWRITE, ACCESS})
  void setRawBody(byte[] body);

  /**
   * {@code kong.service.request.set_raw_body(body)}: the body of the upstream request as UTF-8
   * text. See {@link #setRawBody(byte[])}.
   *
   * <p>Phases: rewrite, access.
   *
   * @param body the body
   */
  @LuaFunction(value = "kong.service.request.set_raw_body", phases = {REWRITE, ACCESS})
  void setRawBody(String body);

  /**
   * {@code kong.service.request.set_body(args)}: the body of the upstream request, encoded by the
   * request's content type (JSON, form or multipart). Values are plain Java values: strings,
   * numbers, booleans, lists and maps.
   *
   * <p>Phases: rewrite, access.
   *
   * @param args the body's fields
   * @throws PdkException when Kong cannot encode the body (for example an unsupported content type)
   */
  @LuaFunction(value = "kong.service.request.set_body", phases = {REWRITE, ACCESS})
  void setBody(Map<String, ?> args);

  /**
   * {@code kong.service.request.set_body(args, mimetype)}: as {@link #setBody(Map)}, encoding as
   * {@code mimetype} and setting the {@code Content-Type} to it.
   *
   * <p>Phases: rewrite, access.
   *
   * @param args the body's fields
   * @param mimetype {@code "application/json"}, {@code "application/x-www-form-urlencoded"} or
   *     {@code "multipart/form-data"}
   * @throws PdkException when Kong cannot encode the body
   */
  @LuaFunction(value = "kong.service.request.set_body", phases = {REWRITE, ACCESS})
  void setBody(Map<String, ?> args, String mimetype);

  /**
   * {@code kong.service.request.enable_tls()}: turns TLS to the upstream back on for this stream
   * connection.
   *
   * <p>Phases: preread.
   *
   * @throws PdkException when Kong refuses
   */
  @LuaFunction(value = "kong.service.request.enable_tls", phases = {PREREAD}, since = "3")
  void enableTls();

  /**
   * {@code kong.service.request.disable_tls()}: turns TLS to the upstream off for this stream
   * connection.
   *
   * <p>Phases: preread.
   *
   * @throws PdkException when Kong refuses
   */
  @LuaFunction(value = "kong.service.request.disable_tls", phases = {PREREAD})
  void disableTls();
}
