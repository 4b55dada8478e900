package dev.kongpdk.bridge.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginDescriptor;
import dev.kongpdk.plugin.Protocol;
import java.util.List;

/**
 * The JSON Kong's query command ({@code <server> -dump}) expects (§2 of the protocol reference):
 * {@code {"Protocol":"MsgPack:1","Plugins":[{"Name","Version","Priority","Phases","Schema"}]}}.
 * Keys are written in a fixed order, so the same plugins always give the same bytes. The protocol
 * is the plugins' {@link PluginDescriptor#protocol()}; Kong reads one per server.
 */
public final class PluginDump {

  private PluginDump() {}

  /**
   * Returns the dump of {@code plugins}.
   *
   * @throws IllegalStateException when the plugins use different protocols
   */
  public static String json(List<PluginDescriptor> plugins) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("Protocol", protocol(plugins).wireName());
    ArrayNode list = root.putArray("Plugins");
    for (PluginDescriptor plugin : plugins) {
      ObjectNode info = list.addObject();
      info.put("Name", plugin.name());
      info.put("Version", plugin.version());
      info.put("Priority", plugin.priority());
      ArrayNode phases = info.putArray("Phases");
      for (Phase phase : plugin.phases()) {
        phases.add(phase.luaName());
      }
      try {
        info.set("Schema", mapper.readTree(plugin.schemaJson()));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(
            "plugin '" + plugin.name() + "' has an invalid schema: " + e.getOriginalMessage(), e);
      }
    }
    return root.toString();
  }

  private static Protocol protocol(List<PluginDescriptor> plugins) {
    Protocol protocol = plugins.isEmpty() ? Protocol.MSGPACK : plugins.get(0).protocol();
    for (PluginDescriptor plugin : plugins) {
      if (plugin.protocol() != protocol) {
        throw new IllegalStateException("plugins '" + plugins.get(0).name() + "' ("
            + protocol.wireName() + ") and '" + plugin.name() + "' (" + plugin.protocol().wireName()
            + ") use different protocols, but Kong reads one protocol per plugin server: serve"
            + " them from separate servers (--plugin NAME)");
      }
    }
    return protocol;
  }
}
