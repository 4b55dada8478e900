package dev.kongpdk.benchmarks.plugin;

import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginDescriptor;
import java.util.List;
import java.util.Optional;

/**
 * The descriptor the annotation processor would generate for {@link BenchHello}, written by hand so
 * the benchmark does not depend on the processor. The plugin is called {@code hello}, like the
 * JavaScript plugin it is compared with.
 */
public final class BenchHelloDescriptor implements PluginDescriptor {

  private static final String SCHEMA =
      "{\"name\":\"hello\",\"fields\":[{\"config\":{\"type\":\"record\",\"fields\":"
          + "[{\"message\":{\"type\":\"string\",\"default\":\"hello\"}}]}}]}";

  @Override
  public String name() {
    return "hello";
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
  public List<Phase> phases() {
    return List.of(Phase.ACCESS);
  }

  @Override
  public boolean failOpen() {
    return false;
  }

  @Override
  public Class<?> pluginClass() {
    return BenchHello.class;
  }

  @Override
  public Optional<Class<? extends Record>> configType() {
    return Optional.of(BenchHello.Config.class);
  }

  @Override
  public String schemaJson() {
    return SCHEMA;
  }

  @Override
  public Object newPlugin(Record config) {
    return new BenchHello((BenchHello.Config) config);
  }
}
