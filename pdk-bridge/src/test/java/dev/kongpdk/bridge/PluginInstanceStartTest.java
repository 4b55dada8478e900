package dev.kongpdk.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kongpdk.plugin.InstanceInfo;
import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginDescriptor;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PluginInstanceStartTest {

  record Config(String message) {}

  /** Records what start passes to the descriptor. */
  private static final class Recording implements PluginDescriptor {
    Record config;
    InstanceInfo instance;

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public String version() {
      return "1.0.0";
    }

    @Override
    public int priority() {
      return 1;
    }

    @Override
    public List<Phase> phases() {
      return List.of(Phase.ACCESS);
    }

    @Override
    public boolean failOpen() {
      return false;
    }

    @Override
    public Class<?> pluginClass() {
      return Object.class;
    }

    @Override
    public Optional<Class<? extends Record>> configType() {
      return Optional.of(Config.class);
    }

    @Override
    public String schemaJson() {
      return "{\"name\":\"recording\",\"fields\":[{\"config\":{\"type\":\"record\",\"fields\":"
          + "[{\"message\":{\"type\":\"string\",\"default\":\"hi\"}}]}}]}";
    }

    @Override
    public Object newPlugin(Record config) {
      throw new AssertionError("start must pass the instance information");
    }

    @Override
    public Object newPlugin(Record config, InstanceInfo instance) {
      this.config = config;
      this.instance = instance;
      return new Object();
    }
  }

  @Test
  void start_bindsTheConfig_andPassesTheInstanceInformation() throws Exception {
    Recording descriptor = new Recording();

    PluginInstance.start(
        descriptor, "{\"__plugin_id\":\"p\",\"route_id\":\"r\",\"__ws_id\":\"w\",\"__seq__\":3}");

    assertEquals(new Config("hi"), descriptor.config);
    assertEquals(Optional.of("p"), descriptor.instance.pluginId());
    assertEquals(Optional.of("r"), descriptor.instance.routeId());
    assertEquals(Optional.of("w"), descriptor.instance.workspaceId());
    assertEquals(Optional.empty(), descriptor.instance.serviceId());
  }

  @Test
  void start_rejectsAConfigThatBreaksTheSchema() {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> PluginInstance.start(new Recording(), "{\"message\":1}"));

    assertEquals("config.message: expected a string but got an integer", e.getMessage());
  }
}
