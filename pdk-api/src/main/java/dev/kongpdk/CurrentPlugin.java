package dev.kongpdk;

import java.util.Optional;

/** {@code kong.plugin}: the plugin entity (the configured plugin instance) being run. */
public interface CurrentPlugin {

  /**
   * {@code kong.plugin.get_id()}: the UUID of the plugin entity whose configuration is running.
   *
   * <p>Phases: any (Kong documents rewrite, access, response, log).
   *
   * @return the id, or empty on Kong 2.8, which lacks the function
   */
  @LuaFunction(value = "kong.plugin.get_id", since = "3")
  Optional<String> getId();
}
