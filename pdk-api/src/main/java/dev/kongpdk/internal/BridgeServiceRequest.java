package dev.kongpdk.internal;

import dev.kongpdk.Bridge;
import dev.kongpdk.ServiceRequest;
import java.util.List;
import java.util.Map;

final class BridgeServiceRequest implements ServiceRequest {

  private static final String PREFIX = "kong.service.request.";

  private final Bridge bridge;

  BridgeServiceRequest(Bridge bridge) {
    this.bridge = bridge;
  }

  @Override
  public void enableBuffering() {
    bridge.call(PREFIX + "enable_buffering");
  }

  @Override
  public void setScheme(String scheme) {
    bridge.call(PREFIX + "set_scheme", Values.requireNonNull("scheme", scheme));
  }

  @Override
  public void setPath(String path) {
    bridge.call(PREFIX + "set_path", Values.requireNonNull("path", path));
  }

  @Override
  public void setRawQuery(String query) {
    bridge.call(PREFIX + "set_raw_query", Values.requireNonNull("query", query));
  }

  @Override
  public void setMethod(String method) {
    bridge.call(PREFIX + "set_method", Values.requireNonNull("method", method));
  }

  @Override
  public void setQuery(Map<String, List<String>> args) {
    bridge.call(PREFIX + "set_query", Values.queryTable("args", args));
  }

  @Override
  public void clearQueryArg(String name) {
    bridge.call(PREFIX + "clear_query_arg", Values.requireNonNull("name", name));
  }

  @Override
  public void setHeader(String name, String value) {
    bridge.call(PREFIX + "set_header", Values.requireNonNull("name", name),
        Values.requireNonNull("value", value));
  }

  @Override
  public void setHeader(String name, List<String> values) {
    Values.requireNonNull("name", name);
    bridge.call(PREFIX + "set_headers", Values.headerTable("values", Map.of(name, Values.requireNonNull("values", values))));
  }

  @Override
  public void addHeader(String name, String value) {
    bridge.call(PREFIX + "add_header", Values.requireNonNull("name", name),
        Values.requireNonNull("value", value));
  }

  @Override
  public void clearHeader(String name) {
    bridge.call(PREFIX + "clear_header", Values.requireNonNull("name", name));
  }

  @Override
  public void setHeaders(Map<String, List<String>> headers) {
    bridge.call(PREFIX + "set_headers", Values.headerTable("headers", headers));
  }

  @Override
  public void setRawBody(byte[] body) {
    bridge.call(PREFIX + "set_raw_body", Values.requireNonNull("body", body).clone());
  }

  @Override
  public void setRawBody(String body) {
    bridge.call(PREFIX + "set_raw_body", Values.requireNonNull("body", body));
  }

  @Override
  public void setBody(Map<String, ?> args) {
    String method = PREFIX + "set_body";
    Values.requireTrue(method, bridge.call(method, Values.toLua("args", Values.requireNonNull("args", args))));
  }

  @Override
  public void setBody(Map<String, ?> args, String mimetype) {
    String method = PREFIX + "set_body";
    Object table = Values.toLua("args", Values.requireNonNull("args", args));
    Values.requireTrue(method, bridge.call(method, table, Values.requireNonNull("mimetype", mimetype)));
  }

  @Override
  public void enableTls() {
    String method = PREFIX + "enable_tls";
    Values.requireTrue(method, bridge.call(method));
  }

  @Override
  public void disableTls() {
    String method = PREFIX + "disable_tls";
    Values.requireTrue(method, bridge.call(method));
  }
}
