package dev.kongpdk.internal;

import dev.kongpdk.Bridge;
import dev.kongpdk.Service;
import dev.kongpdk.ServiceRequest;

final class BridgeService implements Service {

  private final ServiceRequest request;

  BridgeService(Bridge bridge) {
    this.request = new BridgeServiceRequest(bridge);
  }

  @Override
  public ServiceRequest request() {
    return request;
  }
}
