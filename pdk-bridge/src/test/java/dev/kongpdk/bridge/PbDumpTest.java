package dev.kongpdk.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kongpdk.bridge.internal.PluginDump;
import dev.kongpdk.plugin.KongPlugin;
import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginDescriptor;
import dev.kongpdk.plugin.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The protocol a plugin chooses reaches Kong through {@code -dump}. */
class PbDumpTest {

  @KongPlugin(name = "fast", version = "1.0.0", priority = 10, protocol = Protocol.PROTOBUF)
  static final class FastPlugin {}

  @KongPlugin(name = "plain", version = "1.0.0", priority = 10)
  static final class PlainPlugin {}

  private static PluginDescriptor descriptor(Class<?> pluginClass, String name) {
    return new TestDescriptor(name, List.of(Phase.ACCESS), false, pluginClass, null,
        TestDescriptor.NO_FIELDS_SCHEMA.formatted(name), config -> null);
  }

  @Test
  void theDescriptorReadsTheProtocolFromTheAnnotation() {
    assertEquals(Protocol.PROTOBUF, descriptor(FastPlugin.class, "fast").protocol());
    assertEquals(Protocol.MSGPACK, descriptor(PlainPlugin.class, "plain").protocol());
    assertEquals(Protocol.MSGPACK, descriptor(Object.class, "unannotated").protocol());
  }

  @Test
  void dumpWritesTheProtocolKongReads() throws Exception {
    String protobuf = PluginDump.json(List.of(descriptor(FastPlugin.class, "fast")));
    assertEquals("ProtoBuf:1", new ObjectMapper().readTree(protobuf).get("Protocol").asText());
    String msgpack = PluginDump.json(List.of(descriptor(PlainPlugin.class, "plain")));
    assertEquals("MsgPack:1", new ObjectMapper().readTree(msgpack).get("Protocol").asText());
  }

  @Test
  void pluginsOfDifferentProtocolsCannotShareADump() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> PluginDump.json(
        List.of(descriptor(PlainPlugin.class, "plain"), descriptor(FastPlugin.class, "fast"))));
    assertTrue(e.getMessage().contains("'plain' (MsgPack:1)"), e.getMessage());
    assertTrue(e.getMessage().contains("'fast' (ProtoBuf:1)"), e.getMessage());
  }
}
