package dev.kongpdk.plugin;

/**
 * The Kong release line a plugin instance runs under, as far as the plugin server can tell. Kong
 * never states its version over the plugin socket, and no PDK function returns it; the config Kong
 * sends with {@code plugin.StartInstance} tells the lines apart for free: Kong 3.x adds the plugin
 * entity's id ({@code __plugin_id}) to every config, Kong 2.8 does not. The typed API uses it to
 * refuse, before sending, calls the running Kong does not have or does not allow.
 */
public enum KongVersion {
  /** Kong 2.x (2.8): no {@code __plugin_id} in the config. */
  KONG_2,
  /** Kong 3.x: the config carries {@code __plugin_id}. */
  KONG_3,
  /** Not known (for example a plugin run by a test with no Kong config): no version checks. */
  UNKNOWN;

  /**
   * Returns the release line of the Kong that started an instance.
   *
   * @param info what Kong's config for the instance says
   * @return {@link #KONG_3} when Kong sent the plugin id, {@link #KONG_2} otherwise
   */
  public static KongVersion of(InstanceInfo info) {
    return info.pluginId().isPresent() ? KONG_3 : KONG_2;
  }

  /**
   * Returns whether this Kong has a function that first came with {@code since}.
   *
   * @param since a Kong version such as {@code "3"} or {@code "3.1"}, or empty for any
   * @return {@code false} only when this is Kong 2.x and {@code since} is a later major version
   */
  public boolean has(String since) {
    if (since.isEmpty() || this != KONG_2) {
      return true;
    }
    int dot = since.indexOf('.');
    return Integer.parseInt(dot < 0 ? since : since.substring(0, dot)) <= 2;
  }
}
