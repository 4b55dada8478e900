package dev.kongpdk;

import dev.kongpdk.internal.BridgeKong;

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

  /** {@code kong.request}: the client's request. */
  Request request();

  /** {@code kong.response}: the response Kong sends to the client. */
  Response response();

  /** {@code kong.service}: the upstream service and its request and response. */
  Service service();

  /** {@code kong.log}: Kong's error log, under the plugin's name. */
  Log log();

  /**
   * {@code kong.*}: calls any Lua PDK function by name, for functions the typed API does not
   * cover yet.
   *
   * @param method the full Lua name, for example {@code "kong.node.get_hostname"}
   * @param args positional arguments, plain Java values as described on {@link Bridge}
   * @return Kong's answer, or {@code null} when it returned nothing
   */
  Object call(String method, Object... args);

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
}
