package dev.kongpdk.internal;

import dev.kongpdk.Bridge;
import dev.kongpdk.Kong;
import dev.kongpdk.Log;
import dev.kongpdk.Request;
import dev.kongpdk.Response;
import dev.kongpdk.Service;
import java.util.Objects;

/** The typed PDK implemented once over a {@link Bridge}. */
public final class BridgeKong implements Kong {

  private final Bridge bridge;
  private final Request request;
  private final Response response;
  private final Service service;
  private final Log log;

  public BridgeKong(Bridge bridge) {
    this.bridge = Objects.requireNonNull(bridge, "bridge");
    this.request = new BridgeRequest(bridge);
    this.response = new BridgeResponse(bridge);
    this.service = new BridgeService(bridge);
    this.log = new BridgeLog(bridge);
  }

  @Override
  public Request request() {
    return request;
  }

  @Override
  public Response response() {
    return response;
  }

  @Override
  public Service service() {
    return service;
  }

  @Override
  public Log log() {
    return log;
  }

  @Override
  public Object call(String method, Object... args) {
    return bridge.call(method, args);
  }
}
