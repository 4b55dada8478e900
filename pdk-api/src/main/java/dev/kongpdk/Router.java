package dev.kongpdk;

import static dev.kongpdk.plugin.Phase.ACCESS;
import static dev.kongpdk.plugin.Phase.LOG;
import static dev.kongpdk.plugin.Phase.RESPONSE;

import dev.kongpdk.entity.Route;
import java.util.Optional;

/** {@code kong.router}: the route and service the request matched. */
public interface Router {

  /**
   * {@code kong.router.get_route()}: the matched route.
   *
   * <p>Phases: access, response, log.
   *
   * @return the route, or empty when none matched (Kong 2.8 cannot send a route with {@code null}
   *     fields at all: the event ends)
   */
  @LuaFunction(value = "kong.router.get_route", phases = {ACCESS, RESPONSE, LOG})
  Optional<Route> getRoute();

  /**
   * {@code kong.router.get_service()}: the service of the matched route.
   *
   * <p>Phases: access, response, log.
   *
   * @return the service, or empty when the route has none
   */
  @LuaFunction(value = "kong.router.get_service", phases = {ACCESS, RESPONSE, LOG})
  Optional<dev.kongpdk.entity.Service> getService();
}
