package dev.kongpdk;

import static dev.kongpdk.plugin.Phase.ACCESS;
import static dev.kongpdk.plugin.Phase.LOG;
import static dev.kongpdk.plugin.Phase.RESPONSE;
import static dev.kongpdk.plugin.Phase.REWRITE;

import java.util.Map;

/** {@code kong.telemetry}: structured logs exported by Kong's OpenTelemetry plugin. */
public interface Telemetry {

  /**
   * {@code kong.telemetry.log(plugin_name, plugin_config, message_type, message, attributes)}:
   * records a log entry for export by the OpenTelemetry plugin.
   *
   * <p>Phases: rewrite, access, response, log.
   *
   * @param pluginName the plugin's name
   * @param pluginConfig the plugin's configuration table
   * @param messageType the kind of message, for example {@code "plugin_log"}
   * @param message the message
   * @param attributes extra attributes
   * @throws PdkException when Kong refuses (for example when the OpenTelemetry plugin is not
   *     configured to export logs)
   * @throws IllegalArgumentException when a value has no Lua counterpart
   */
  @LuaFunction(value = "kong.telemetry.log", phases = {REWRITE, ACCESS, RESPONSE, LOG}, since = "3")
  void log(String pluginName, Map<String, ?> pluginConfig, String messageType, String message,
      Map<String, ?> attributes);
}
