package dev.kongpdk.bridge;

import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginDescriptor;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** A hand-written descriptor for test plugins (in place of the generated one). */
record TestDescriptor(
    String name,
    List<Phase> phases,
    boolean failOpen,
    Class<?> pluginClass,
    Class<? extends Record> config,
    String schemaJson,
    Function<Record, Object> factory)
    implements PluginDescriptor {

  static final String NO_FIELDS_SCHEMA = "{\"name\":\"%s\",\"fields\":[{\"config\":{\"type\":\"record\",\"fields\":[]}}]}";

  static TestDescriptor of(String name, Phase phase, Function<Record, Object> factory) {
    return new TestDescriptor(name, List.of(phase), false, Object.class, null,
        NO_FIELDS_SCHEMA.formatted(name), factory);
  }

  /** The same plugin, with annotations (such as {@code @PhaseTimeout}) read from {@code type}. */
  TestDescriptor withClass(Class<?> type) {
    return new TestDescriptor(name, phases, failOpen, type, config, schemaJson, factory);
  }

  TestDescriptor failingOpen() {
    return new TestDescriptor(name, phases, true, pluginClass, config, schemaJson, factory);
  }

  @Override
  public String version() {
    return "0.1.0";
  }

  @Override
  public int priority() {
    return 1000;
  }

  @Override
  public Optional<Class<? extends Record>> configType() {
    return Optional.ofNullable(config);
  }

  @Override
  public Object newPlugin(Record config) {
    return factory.apply(config);
  }
}
