package dev.kongpdk.internal;

import dev.kongpdk.Bridge;
import dev.kongpdk.Request;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class BridgeRequest implements Request {

  private final Bridge bridge;

  BridgeRequest(Bridge bridge) {
    this.bridge = bridge;
  }

  @Override
  public Optional<String> getHeader(String name) {
    String method = "kong.request.get_header";
    return Values.optionalString(method, bridge.call(method, name));
  }

  @Override
  public Map<String, List<String>> getHeaders() {
    String method = "kong.request.get_headers";
    return Values.multiMap(method, bridge.call(method));
  }
}
