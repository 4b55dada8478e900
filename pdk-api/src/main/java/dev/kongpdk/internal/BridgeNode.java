package dev.kongpdk.internal;

import dev.kongpdk.Bridge;
import dev.kongpdk.Node;
import dev.kongpdk.entity.MemoryStats;

final class BridgeNode implements Node {

  private final Bridge bridge;

  BridgeNode(Bridge bridge) {
    this.bridge = bridge;
  }

  @Override
  public String getId() {
    return Values.requiredString("kong.node.get_id", bridge.call("kong.node.get_id"));
  }

  @Override
  public MemoryStats getMemoryStats() {
    String method = "kong.node.get_memory_stats";
    return Entities.memoryStats(method, bridge.call(method));
  }

  @Override
  public String getHostname() {
    String method = "kong.node.get_hostname";
    return Values.requiredString(method, bridge.call(method));
  }
}
