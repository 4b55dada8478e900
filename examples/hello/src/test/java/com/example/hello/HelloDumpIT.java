package com.example.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kongpdk.testkit.junit.PluginServerExtension;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What Kong's query command ({@code hello -dump}) reads from the packaged launcher: the exact
 * plugin info, checked against the rules Kong 3.x applies when it loads an external plugin.
 */
class HelloDumpIT {

  @Test
  @Timeout(30)
  void dumpHasTheShapeKongLoads() throws Exception {
    String launcher = System.getProperty(PluginServerExtension.COMMAND_PROPERTY);
    assertNotNull(launcher, "run by failsafe (mvn verify), which passes the launcher's path");
    Process process = new ProcessBuilder(launcher, "-dump").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(20, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue());

    JsonNode dump = new ObjectMapper().readTree(out);
    assertEquals("MsgPack:1", dump.get("Protocol").asText());
    assertEquals(1, dump.get("Plugins").size(), "Kong 3.9+ reads only the first plugin");
    JsonNode info = dump.get("Plugins").get(0);
    assertEquals("hello", info.get("Name").asText());
    assertTrue(info.get("Priority").isIntegralNumber(), "Kong 3.x requires an integer PRIORITY");
    assertTrue(info.get("Version").asText().matches("\\d+(\\.\\d+){0,2}"), "at most x.y.z");
    assertEquals("[\"access\"]", info.get("Phases").toString());

    JsonNode schema = info.get("Schema");
    assertEquals("hello", schema.get("name").asText());
    JsonNode config = schema.get("fields").get(0).get("config");
    assertEquals("record", config.get("type").asText());
    for (JsonNode field : config.get("fields")) {
      assertEquals(1, field.size(), "each schema field is a single-key object");
    }
    assertEquals(Map.of("message", Map.of("type", "string", "default", "hello")),
        new ObjectMapper().convertValue(config.get("fields").get(0), Map.class));
    assertEquals(out, new String(new ProcessBuilder(launcher, "-dump").redirectError(ProcessBuilder.Redirect.DISCARD)
        .start().getInputStream().readAllBytes(), StandardCharsets.UTF_8), "the same plugin always dumps the same bytes");
  }
}
