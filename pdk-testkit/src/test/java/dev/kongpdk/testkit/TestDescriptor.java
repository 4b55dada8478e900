package dev.kongpdk.testkit;

import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginDescriptor;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A hand-written plugin descriptor for the testkit's own test plugins, standing in for the one the
 * annotation processor generates.
 */
class TestDescriptor implements PluginDescriptor {

  private final String name;
  private final int priority;
  private final List<Phase> phases;
  private final boolean failOpen;
  private final Class<?> pluginClass;
  private final Class<? extends Record> configType;
  private final String schemaJson;
  private final Function<Record, Object> factory;

  TestDescriptor(String name, int priority, List<Phase> phases, Class<?> pluginClass,
      Class<? extends Record> configType, String configFieldsJson, Function<Record, Object> factory) {
    this(name, priority, phases, false, pluginClass, configType, configFieldsJson, factory);
  }

  TestDescriptor(String name, int priority, List<Phase> phases, boolean failOpen, Class<?> pluginClass,
      Class<? extends Record> configType, String configFieldsJson, Function<Record, Object> factory) {
    this.name = name;
    this.priority = priority;
    this.phases = List.copyOf(phases);
    this.failOpen = failOpen;
    this.pluginClass = pluginClass;
    this.configType = configType;
    this.schemaJson = "{\"name\":\"" + name + "\",\"fields\":[{\"config\":{\"type\":\"record\",\"fields\":"
        + configFieldsJson + "}}]}";
    this.factory = factory;
  }

  /** A copy, for ServiceLoader providers that serve an existing test descriptor. */
  TestDescriptor(TestDescriptor other) {
    this.name = other.name;
    this.priority = other.priority;
    this.phases = other.phases;
    this.failOpen = other.failOpen;
    this.pluginClass = other.pluginClass;
    this.configType = other.configType;
    this.schemaJson = other.schemaJson;
    this.factory = other.factory;
  }

  /** A plugin without config. */
  static TestDescriptor of(String name, int priority, List<Phase> phases, Class<?> pluginClass,
      java.util.function.Supplier<Object> factory) {
    return new TestDescriptor(name, priority, phases, pluginClass, null, "[]", config -> factory.get());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String version() {
    return "0.1.0";
  }

  @Override
  public int priority() {
    return priority;
  }

  @Override
  public List<Phase> phases() {
    return phases;
  }

  @Override
  public boolean failOpen() {
    return failOpen;
  }

  @Override
  public Class<?> pluginClass() {
    return pluginClass;
  }

  @Override
  public Optional<Class<? extends Record>> configType() {
    return Optional.ofNullable(configType);
  }

  @Override
  public String schemaJson() {
    return schemaJson;
  }

  @Override
  public Object newPlugin(Record config) {
    return factory.apply(config);
  }
}
