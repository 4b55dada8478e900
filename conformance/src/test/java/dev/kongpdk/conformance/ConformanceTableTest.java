package dev.kongpdk.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConformanceTableTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theGeneratedBlockReplacesOnlyTheOldOne() {
    String page = "intro\n" + ConformanceTable.BEGIN + "\nold\n" + ConformanceTable.END + "\nafter\n";
    assertEquals("intro\n" + ConformanceTable.BEGIN + "\nnew\n" + ConformanceTable.END + "\nafter\n",
        ConformanceTable.splice(page, "new\n"));
    assertThrows(IllegalArgumentException.class, () -> ConformanceTable.splice("no markers", "x"));
  }

  @Test
  void eachRowShowsEachVersionAndAFailureSaysWhy() throws Exception {
    JsonNode kong3 = JSON.readTree("{\"kong\":\"3.9.3\",\"protocol\":\"MsgPack:1\",\"seconds\":1.0,\"rows\":["
        + "{\"id\":\"a@log\",\"method\":\"kong.request().getHeader(String)\",\"lua\":\"kong.request.get_header\","
        + "\"phase\":\"log\",\"status\":\"ok\",\"detail\":\"\"}]}");
    JsonNode kong2 = JSON.readTree("{\"kong\":\"2.8.5\",\"protocol\":\"MsgPack:1\",\"seconds\":1.0,\"rows\":["
        + "{\"id\":\"a@log\",\"method\":\"kong.request().getHeader(String)\",\"lua\":\"kong.request.get_header\","
        + "\"phase\":\"log\",\"status\":\"fail\",\"detail\":\"Java \\\"x\\\", Lua \\\"y|z\\\"\"}]}");

    String table = ConformanceTable.table(List.of(kong3, kong2));

    assertTrue(table.contains("| Java method | Lua function | Phase | Kong 3.9.3 | Kong 2.8.5 |"), table);
    assertTrue(table.contains("| `kong.request().getHeader(String)` | `kong.request.get_header` | log | ok | "
        + "**FAIL**: Java \"x\", Lua \"y\\|z\" |"), table);
    assertTrue(table.contains("- Kong 2.8.5 over MsgPack:1: 1 rows in 1.0 s; fail=1"), table);
  }
}
