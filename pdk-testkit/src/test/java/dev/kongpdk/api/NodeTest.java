package dev.kongpdk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kongpdk.PdkException;
import dev.kongpdk.entity.MemoryStats;
import dev.kongpdk.testkit.MockBridge;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeTest {

  // Kong 3.9.3, probe-01 (StepMemoryStats)
  private static final String STATS = """
      {"workers_lua_vms": [{"pid": 21240, "http_allocated_gc": 3095914}],
       "lua_shared_dicts": {"kong": {"allocated_slabs": 40960, "capacity": 5242880},
                            "kong_locks": {"allocated_slabs": 61440, "capacity": 8388608}}}""";

  private final MockBridge bridge = new MockBridge();

  @Test
  void idAndHostname() {
    bridge.expect("kong.node.get_id").returns("cbb297c0-14a9-46bc-ad91-1d0ef9b42df9")
        .expect("kong.node.get_hostname").returns("vm");
    assertEquals("cbb297c0-14a9-46bc-ad91-1d0ef9b42df9", bridge.kong().node().getId());
    assertEquals("vm", bridge.kong().node().getHostname());
  }

  @Test
  void memoryStatsDecodeKongsPayload() {
    bridge.expect("kong.node.get_memory_stats").returns(Json.parse(STATS));
    MemoryStats stats = bridge.kong().node().getMemoryStats();
    assertEquals(new MemoryStats.SharedDict(40960, 5242880), stats.luaSharedDicts().get("kong"));
    assertEquals(new MemoryStats.SharedDict(61440, 8388608), stats.luaSharedDicts().get("kong_locks"));
    assertEquals(List.of(new MemoryStats.WorkerVm(21240, 3095914, Optional.empty())), stats.workersLuaVms());
  }

  @Test
  void memoryStatsKeepAWorkersErrorAndAcceptEmptyTables() {
    bridge.expect("kong.node.get_memory_stats")
        .returns(Map.of("workers_lua_vms", List.of(Map.of("pid", 7, "err", "could not get worker's HTTP Lua VM memory")),
            "lua_shared_dicts", List.of()));
    MemoryStats stats = bridge.kong().node().getMemoryStats();
    assertEquals(Map.of(), stats.luaSharedDicts());
    assertEquals(Optional.of("could not get worker's HTTP Lua VM memory"), stats.workersLuaVms().get(0).error());
  }

  @Test
  void memoryStatsThatKongDoesNotSendAreAnError() {
    bridge.expect("kong.node.get_memory_stats").returnsNothing();
    assertThrows(PdkException.class, () -> bridge.kong().node().getMemoryStats());
  }
}
