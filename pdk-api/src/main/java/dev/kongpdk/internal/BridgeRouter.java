package dev.kongpdk.internal;

import dev.kongpdk.Bridge;
import dev.kongpdk.Router;
import dev.kongpdk.entity.Route;
import dev.kongpdk.entity.Service;
import java.util.Optional;

final class BridgeRouter implements Router {

  private final Bridge bridge;

  BridgeRouter(Bridge bridge) {
    this.bridge = bridge;
  }

  @Override
  public Optional<Route> getRoute() {
    String method = "kong.router.get_route";
    return Entities.route(method, bridge.call(method));
  }

  @Override
  public Optional<Service> getService() {
    String method = "kong.router.get_service";
    return Entities.service(method, bridge.call(method));
  }
}
