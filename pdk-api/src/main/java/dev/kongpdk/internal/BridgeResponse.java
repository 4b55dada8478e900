package dev.kongpdk.internal;

import dev.kongpdk.Bridge;
import dev.kongpdk.Response;
import java.util.Map;

final class BridgeResponse implements Response {

  private final Bridge bridge;

  BridgeResponse(Bridge bridge) {
    this.bridge = bridge;
  }

  @Override
  public void setHeader(String name, String value) {
    bridge.call("kong.response.set_header", name, value);
  }

  @Override
  public void exit(int status) {
    bridge.call("kong.response.exit", (long) status);
  }

  @Override
  public void exit(int status, String body) {
    bridge.call("kong.response.exit", (long) status, body);
  }

  @Override
  public void exit(int status, Object body, Map<String, ?> headers) {
    // Kong unpacks Args with Lua's length operator: a nil body would drop the headers after it.
    Object sentBody = body == null ? "" : body;
    if (headers == null || headers.isEmpty()) {
      bridge.call("kong.response.exit", (long) status, sentBody);
    } else {
      bridge.call("kong.response.exit", (long) status, sentBody, headers);
    }
  }
}
