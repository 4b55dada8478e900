package dev.kongpdk.internal;

import dev.kongpdk.Bridge;
import dev.kongpdk.Request;
import dev.kongpdk.entity.UriCaptures;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

final class BridgeRequest implements Request {

  private final Bridge bridge;

  BridgeRequest(Bridge bridge) {
    this.bridge = bridge;
  }

  private String string(String function) {
    String method = "kong.request." + function;
    return Values.requiredString(method, bridge.call(method));
  }

  private int integer(String function) {
    String method = "kong.request." + function;
    return Values.requiredInt(method, bridge.call(method));
  }

  @Override
  public String getScheme() {
    return string("get_scheme");
  }

  @Override
  public String getHost() {
    return string("get_host");
  }

  @Override
  public int getPort() {
    return integer("get_port");
  }

  @Override
  public String getForwardedScheme() {
    return string("get_forwarded_scheme");
  }

  @Override
  public String getForwardedHost() {
    return string("get_forwarded_host");
  }

  @Override
  public int getForwardedPort() {
    return integer("get_forwarded_port");
  }

  @Override
  public String getForwardedPath() {
    return string("get_forwarded_path");
  }

  @Override
  public Optional<String> getForwardedPrefix() {
    String method = "kong.request.get_forwarded_prefix";
    return Values.optionalString(method, bridge.call(method));
  }

  @Override
  public OptionalDouble getHttpVersion() {
    String method = "kong.request.get_http_version";
    return Values.optionalDouble(method, bridge.call(method));
  }

  @Override
  public String getMethod() {
    return string("get_method");
  }

  @Override
  public String getPath() {
    return string("get_path");
  }

  @Override
  public String getRawPath() {
    return string("get_raw_path");
  }

  @Override
  public String getPathWithQuery() {
    return string("get_path_with_query");
  }

  @Override
  public String getRawQuery() {
    return string("get_raw_query");
  }

  @Override
  public Optional<String> getQueryArg(String name) {
    String method = "kong.request.get_query_arg";
    Object value = bridge.call(method, Values.requireNonNull("name", name));
    if (Boolean.TRUE.equals(value)) {
      return Optional.of(""); // "?flag": an argument without value
    }
    return Values.optionalString(method, value);
  }

  @Override
  public Map<String, List<String>> getQuery() {
    String method = "kong.request.get_query";
    return Values.multiMap(method, bridge.call(method));
  }

  @Override
  public Map<String, List<String>> getQuery(int maxArgs) {
    String method = "kong.request.get_query";
    return Values.multiMap(method, bridge.call(method, (long) maxArgs));
  }

  @Override
  public Optional<String> getHeader(String name) {
    String method = "kong.request.get_header";
    return Values.optionalString(method, bridge.call(method, Values.requireNonNull("name", name)));
  }

  @Override
  public Map<String, List<String>> getHeaders() {
    String method = "kong.request.get_headers";
    return Values.multiMap(method, bridge.call(method));
  }

  @Override
  public Map<String, List<String>> getHeaders(int maxHeaders) {
    String method = "kong.request.get_headers";
    return Values.multiMap(method, bridge.call(method, (long) maxHeaders));
  }

  @Override
  public Optional<byte[]> getRawBody() {
    String method = "kong.request.get_raw_body";
    return Values.optionalBytes(method, bridge.call(method));
  }

  @Override
  public Optional<byte[]> getRawBody(long maxAllowedFileSize) {
    String method = "kong.request.get_raw_body";
    return Values.optionalBytes(method, bridge.call(method, maxAllowedFileSize));
  }

  @Override
  public Optional<Map<String, Object>> getBody() {
    return body(bridge.call(BODY));
  }

  @Override
  public Optional<Map<String, Object>> getBody(String mimetype) {
    return body(bridge.call(BODY, Values.requireNonNull("mimetype", mimetype)));
  }

  @Override
  public Optional<Map<String, Object>> getBody(String mimetype, int maxArgs) {
    return body(bridge.call(BODY, Values.requireNonNull("mimetype", mimetype), (long) maxArgs));
  }

  @Override
  public Optional<Map<String, Object>> getBody(String mimetype, int maxArgs, long maxAllowedFileSize) {
    Values.requireNonNull("mimetype", mimetype);
    return body(bridge.call(BODY, mimetype, (long) maxArgs, maxAllowedFileSize));
  }

  private static final String BODY = "kong.request.get_body";

  private static Optional<Map<String, Object>> body(Object value) {
    return value == null ? Optional.empty() : Optional.of(Values.map(BODY, value));
  }

  @Override
  public OptionalLong getStartTime() {
    String method = "kong.request.get_start_time";
    return Values.optionalLong(method, bridge.call(method));
  }

  @Override
  public UriCaptures getUriCaptures() {
    String method = "kong.request.get_uri_captures";
    return Entities.uriCaptures(method, bridge.call(method));
  }
}
