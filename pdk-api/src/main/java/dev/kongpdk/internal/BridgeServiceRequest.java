package dev.kongpdk.internal;

import dev.kongpdk.Bridge;
import dev.kongpdk.ServiceRequest;

final class BridgeServiceRequest implements ServiceRequest {

  private final Bridge bridge;

  BridgeServiceRequest(Bridge bridge) {
    this.bridge = bridge;
  }

  @Override
  public void setHeader(String name, String value) {
    bridge.call("kong.service.request.set_header", name, value);
  }
}
