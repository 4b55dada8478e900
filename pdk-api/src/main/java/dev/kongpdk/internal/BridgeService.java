package dev.kongpdk.internal;

import dev.kongpdk.Bridge;
import dev.kongpdk.Service;
import dev.kongpdk.ServiceRequest;
import dev.kongpdk.ServiceResponse;

final class BridgeService implements Service {

  private final Bridge bridge;
  private final ServiceRequest request;
  private final ServiceResponse response;

  BridgeService(Bridge bridge) {
    this.bridge = bridge;
    this.request = new BridgeServiceRequest(bridge);
    this.response = new BridgeServiceResponse(bridge);
  }

  @Override
  public ServiceRequest request() {
    return request;
  }

  @Override
  public ServiceResponse response() {
    return response;
  }

  @Override
  public void setUpstream(String host) {
    String method = "kong.service.set_upstream";
    Values.requireTrue(method, bridge.call(method, Values.requireNonNull("host", host)));
  }

  @Override
  public void setTarget(String host, int port) {
    bridge.call("kong.service.set_target", Values.requireNonNull("host", host), (long) port);
  }

  @Override
  public void setRetries(int retries) {
    bridge.call("kong.service.set_retries", (long) retries);
  }

  @Override
  public void setTimeouts(int connectTimeout, int writeTimeout, int readTimeout) {
    bridge.call("kong.service.set_timeouts", (long) connectTimeout, (long) writeTimeout, (long) readTimeout);
  }

  @Override
  public void setTlsVerify(boolean on) {
    String method = "kong.service.set_tls_verify";
    Values.requireTrue(method, bridge.call(method, on));
  }

  @Override
  public void setTlsVerifyDepth(int depth) {
    String method = "kong.service.set_tls_verify_depth";
    Values.requireTrue(method, bridge.call(method, (long) depth));
  }
}
