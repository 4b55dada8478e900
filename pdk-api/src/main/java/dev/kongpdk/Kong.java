package dev.kongpdk;

import dev.kongpdk.internal.BridgeKong;
import dev.kongpdk.internal.CheckedBridge;
import dev.kongpdk.plugin.KongVersion;
import dev.kongpdk.plugin.Phase;
import java.util.Optional;

/**
 * The Kong PDK as a plugin sees it during one event: {@code kong.request()}, {@code
 * kong.response()}, {@code kong.service().request()} and the other modules mirror Kong's Lua
 * {@code kong.*} tables, with Lua names camel-cased ({@code get_header} becomes {@code
 * getHeader}).
 *
 * <p>A {@code Kong} is bound to the event it was handed to; do not keep it after the phase method
 * returns, and do not share it between threads.
 */
public interface Kong {

  /**
   * {@code kong.client}: the client that sent the request.
   *
   * @return the module
   */
  Client client();

  /**
   * {@code kong.cluster}: the Kong cluster.
   *
   * @return the module
   */
  Cluster cluster();

  /**
   * {@code kong.ctx}: per-request storage shared by plugins.
   *
   * @return the module
   */
  Ctx ctx();

  /**
   * {@code kong.ip}: facts about IP addresses.
   *
   * @return the module
   */
  Ip ip();

  /**
   * {@code kong.log}: Kong's error log, under the plugin's name.
   *
   * @return the module
   */
  Log log();

  /**
   * {@code kong.nginx}: nginx variables and request context.
   *
   * @return the module
   */
  Nginx nginx();

  /**
   * {@code kong.node}: the Kong node.
   *
   * @return the module
   */
  Node node();

  /**
   * {@code kong.plugin}: the plugin entity being run.
   *
   * @return the module
   */
  CurrentPlugin plugin();

  /**
   * {@code kong.request}: the client's request.
   *
   * @return the module
   */
  Request request();

  /**
   * {@code kong.response}: the response Kong sends to the client.
   *
   * @return the module
   */
  Response response();

  /**
   * {@code kong.router}: the matched route and service.
   *
   * @return the module
   */
  Router router();

  /**
   * {@code kong.service}: the upstream service and its request and response.
   *
   * @return the module
   */
  Service service();

  /**
   * {@code kong.telemetry}: logs exported by the OpenTelemetry plugin.
   *
   * @return the module
   */
  Telemetry telemetry();

  /**
   * {@code kong.vault}: secrets.
   *
   * @return the module
   */
  Vault vault();

  /**
   * {@code kong.*}: calls any Lua function reachable from Kong's {@code kong} table by name, for
   * functions the typed API does not cover (for example ones added to Kong after this release).
   * Arguments and results are plain values as described on {@link Bridge}; a {@code null} argument
   * before a non-null one is lost (Kong unpacks the arguments with Lua's length operator).
   *
   * @param method the full Lua name, for example {@code "kong.node.get_hostname"}
   * @param args positional arguments, plain Java values as described on {@link Bridge}
   * @return Kong's answer, or empty when it returned nothing
   * @throws PdkException when Kong reports a failure (Kong 2.8)
   */
  Optional<Object> call(String method, Object... args);

  /**
   * Creates the typed PDK over a bridge. Runtimes and test kits use this; plugin code receives its
   * {@code Kong} from the phase method.
   *
   * @param bridge answers the Lua calls
   * @return the typed PDK
   */
  static Kong over(Bridge bridge) {
    return new BridgeKong(bridge);
  }

  /**
   * Creates the typed PDK for one event of a plugin instance: as {@link #over(Bridge)}, but a call
   * that {@code phase} or {@code version} does not allow (per the {@link LuaFunction} annotations,
   * also through {@link #call}) throws {@link PdkException} before anything is sent, because Kong
   * would answer it with a Lua error that ends the event and, in the log phase, leaves stale request
   * data behind. The plugin server uses this for every event.
   *
   * @param bridge answers the Lua calls
   * @param phase the event's phase
   * @param version the Kong that started the instance
   * @return the typed PDK
   */
  static Kong over(Bridge bridge, Phase phase, KongVersion version) {
    return new BridgeKong(new CheckedBridge(bridge, phase, version));
  }
}
