package dev.kongpdk.internal;

import dev.kongpdk.Bridge;
import dev.kongpdk.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class BridgeResponse implements Response {

  private static final String EXIT = "kong.response.exit";
  private static final String ERROR = "kong.response.error";

  private final Bridge bridge;

  BridgeResponse(Bridge bridge) {
    this.bridge = bridge;
  }

  @Override
  public int getStatus() {
    String method = "kong.response.get_status";
    return Values.requiredInt(method, bridge.call(method));
  }

  @Override
  public Optional<String> getHeader(String name) {
    String method = "kong.response.get_header";
    return Values.optionalString(method, bridge.call(method, Values.requireNonNull("name", name)));
  }

  @Override
  public Map<String, List<String>> getHeaders() {
    String method = "kong.response.get_headers";
    return Values.multiMap(method, bridge.call(method));
  }

  @Override
  public Map<String, List<String>> getHeaders(int maxHeaders) {
    String method = "kong.response.get_headers";
    return Values.multiMap(method, bridge.call(method, (long) maxHeaders));
  }

  @Override
  public String getSource() {
    String method = "kong.response.get_source";
    return Values.requiredString(method, bridge.call(method));
  }

  @Override
  public void setStatus(int status) {
    bridge.call("kong.response.set_status", (long) status);
  }

  @Override
  public void setHeader(String name, String value) {
    bridge.call("kong.response.set_header", Values.requireNonNull("name", name),
        Values.requireNonNull("value", value));
  }

  @Override
  public void setHeader(String name, List<String> values) {
    Values.requireNonNull("name", name);
    bridge.call("kong.response.set_headers", Values.headerTable("values", Map.of(name, Values.requireNonNull("values", values))));
  }

  @Override
  public void addHeader(String name, String value) {
    bridge.call("kong.response.add_header", Values.requireNonNull("name", name),
        Values.requireNonNull("value", value));
  }

  @Override
  public void clearHeader(String name) {
    bridge.call("kong.response.clear_header", Values.requireNonNull("name", name));
  }

  @Override
  public void setHeaders(Map<String, List<String>> headers) {
    bridge.call("kong.response.set_headers", Values.headerTable("headers", headers));
  }

  @Override
  public void exit(int status) {
    bridge.call(EXIT, (long) status);
  }

  @Override
  public void exit(int status, String body) {
    if (body == null) {
      bridge.call(EXIT, (long) status);
    } else {
      bridge.call(EXIT, (long) status, body);
    }
  }

  @Override
  public void exit(int status, Object body, Map<String, ?> headers) {
    Object sentBody = body == null ? null : Values.toLua("body", body);
    if (headers == null || headers.isEmpty()) {
      if (sentBody == null) {
        bridge.call(EXIT, (long) status);
      } else {
        bridge.call(EXIT, (long) status, sentBody);
      }
    } else {
      // Kong unpacks Args with Lua's length operator: a nil body would drop the headers after it.
      bridge.call(EXIT, (long) status, sentBody == null ? "" : sentBody, Values.toLua("headers", headers));
    }
  }

  @Override
  public void error(int status) {
    bridge.call(ERROR, (long) status);
  }

  @Override
  public void error(int status, String message) {
    bridge.call(ERROR, (long) status, Values.requireNonNull("message", message));
  }

  @Override
  public void error(int status, String message, Map<String, ?> headers) {
    Values.requireNonNull("message", message);
    if (headers == null || headers.isEmpty()) {
      bridge.call(ERROR, (long) status, message);
    } else {
      bridge.call(ERROR, (long) status, message, Values.toLua("headers", headers));
    }
  }
}
