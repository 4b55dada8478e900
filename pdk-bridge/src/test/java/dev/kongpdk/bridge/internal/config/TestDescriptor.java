package dev.kongpdk.bridge.internal.config;

import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginDescriptor;
import java.util.List;
import java.util.Optional;

/** A descriptor with a given config record and the {@code fields} of its config schema. */
record TestDescriptor(Class<? extends Record> config, String configFieldsJson)
    implements PluginDescriptor {

  @Override
  public String name() {
    return "test";
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
    return Optional.ofNullable(config);
  }

  @Override
  public String schemaJson() {
    return "{\"name\":\"test\",\"fields\":[{\"config\":{\"type\":\"record\",\"fields\":"
        + configFieldsJson
        + "}}]}";
  }

  @Override
  public Object newPlugin(Record config) {
    return new Object();
  }
}
