package dev.kongpdk;

import dev.kongpdk.entity.MemoryStats;

/** {@code kong.node}: the Kong node running the plugin. */
public interface Node {

  /**
   * {@code kong.node.get_id()}: the node's UUID.
   *
   * <p>Phases: any.
   *
   * @return the id
   * @throws PdkException when Kong answers nothing
   */
  @LuaFunction("kong.node.get_id")
  String getId();

  /**
   * {@code kong.node.get_memory_stats()}: memory used by Kong's shared dictionaries and worker Lua
   * VMs, in bytes. (The variant with a unit argument returns formatted strings such as {@code
   * "40.00 KiB"}; convert the bytes instead.)
   *
   * <p>Phases: any.
   *
   * @return the statistics
   * @throws PdkException when Kong answers nothing
   */
  @LuaFunction("kong.node.get_memory_stats")
  MemoryStats getMemoryStats();

  /**
   * {@code kong.node.get_hostname()}: the host name of the machine running Kong.
   *
   * <p>Phases: any.
   *
   * @return the host name
   * @throws PdkException when Kong answers nothing
   */
  @LuaFunction("kong.node.get_hostname")
  String getHostname();
}
