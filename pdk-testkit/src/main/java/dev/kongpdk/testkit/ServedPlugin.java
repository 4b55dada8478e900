package dev.kongpdk.testkit;

import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginDescriptor;
import java.util.List;
import java.util.Optional;

/**
 * A plugin known only by what its server's {@code -dump} says (name, priority, phases): it can run
 * over a socket only, its class lives in the server process.
 */
record ServedPlugin(String name, int priority, List<Phase> phases) implements PluginDescriptor {

  ServedPlugin {
    phases = List.copyOf(phases);
  }

  @Override
  public String version() {
    return "0.0.0";
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
    return Optional.empty();
  }

  @Override
  public String schemaJson() {
    return "{\"name\":\"" + name + "\",\"fields\":[{\"config\":{\"type\":\"record\",\"fields\":[]}}]}";
  }

  @Override
  public Object newPlugin(Record config) {
    throw new IllegalStateException("plugin '" + name + "' is served by a plugin server process;"
        + " run it with runOverSocket(...)");
  }
}
