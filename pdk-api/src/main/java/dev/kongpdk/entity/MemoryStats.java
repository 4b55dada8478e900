package dev.kongpdk.entity;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Kong's memory usage, as {@code kong.node.get_memory_stats()} returns it, in bytes.
 *
 * @param luaSharedDicts the shared dictionaries by name
 * @param workersLuaVms the Lua VM of each worker process
 */
public record MemoryStats(Map<String, SharedDict> luaSharedDicts, List<WorkerVm> workersLuaVms) {

  /** Makes the collections unmodifiable. */
  public MemoryStats {
    luaSharedDicts = Map.copyOf(luaSharedDicts);
    workersLuaVms = List.copyOf(workersLuaVms);
  }

  /**
   * One shared dictionary.
   *
   * @param allocatedSlabs bytes allocated
   * @param capacity the dictionary's capacity in bytes
   */
  public record SharedDict(long allocatedSlabs, long capacity) {}

  /**
   * One worker's Lua VM.
   *
   * @param pid the worker's process id
   * @param httpAllocatedGc bytes allocated by the Lua garbage collector
   * @param error why Kong could not read this worker's numbers, if it could not
   */
  public record WorkerVm(long pid, long httpAllocatedGc, Optional<String> error) {

    /** Checks that nothing is null. */
    public WorkerVm {
      Objects.requireNonNull(error, "error");
    }
  }
}
