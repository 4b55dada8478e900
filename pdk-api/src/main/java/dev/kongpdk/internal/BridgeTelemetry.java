package dev.kongpdk.internal;

import dev.kongpdk.Bridge;
import dev.kongpdk.Telemetry;
import java.util.Map;

final class BridgeTelemetry implements Telemetry {

  private final Bridge bridge;

  BridgeTelemetry(Bridge bridge) {
    this.bridge = bridge;
  }

  @Override
  public void log(String pluginName, Map<String, ?> pluginConfig, String messageType, String message,
      Map<String, ?> attributes) {
    String method = "kong.telemetry.log";
    Object result = bridge.call(method,
        Values.requireNonNull("pluginName", pluginName),
        Values.toLua("pluginConfig", Values.requireNonNull("pluginConfig", pluginConfig)),
        Values.requireNonNull("messageType", messageType),
        Values.requireNonNull("message", message),
        Values.toLua("attributes", Values.requireNonNull("attributes", attributes)));
    Values.requireTrue(method, result);
  }
}
