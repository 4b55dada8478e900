package dev.kongpdk.bridge;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kongpdk.Kong;
import dev.kongpdk.plugin.AccessPhase;
import dev.kongpdk.plugin.Phase;
import java.util.List;
import java.util.Optional;

/** A hello-style test plugin: reads {@code host}, answers with a response header. */
public final class GreeterPlugin implements AccessPhase {

  public record Config(@JsonProperty(defaultValue = "hello") String message) {}

  static final String SCHEMA =
      "{\"name\":\"greeter\",\"fields\":[{\"config\":{\"type\":\"record\",\"fields\":"
          + "[{\"message\":{\"type\":\"string\",\"default\":\"hello\"}}]}}]}";

  private final Config config;

  public GreeterPlugin(Config config) {
    this.config = config;
  }

  @Override
  public void access(Kong kong) {
    String host = kong.request().getHeader("host").orElse("unknown");
    kong.response().setHeader("x-greeting", config.message() + " " + host);
  }

  /** The descriptor the annotation processor would generate. */
  public static final class Descriptor extends DescriptorBase {
    public Descriptor() {
      super(new TestDescriptor("greeter", List.of(Phase.ACCESS), false, GreeterPlugin.class,
          Config.class, SCHEMA, config -> new GreeterPlugin((Config) config)));
    }
  }

  /** Delegates to a {@link TestDescriptor}, so ServiceLoader can instantiate it. */
  public abstract static class DescriptorBase implements dev.kongpdk.plugin.PluginDescriptor {
    private final TestDescriptor delegate;

    DescriptorBase(TestDescriptor delegate) {
      this.delegate = delegate;
    }

    @Override public String name() { return delegate.name(); }
    @Override public String version() { return delegate.version(); }
    @Override public int priority() { return delegate.priority(); }
    @Override public List<Phase> phases() { return delegate.phases(); }
    @Override public boolean failOpen() { return delegate.failOpen(); }
    @Override public Class<?> pluginClass() { return delegate.pluginClass(); }
    @Override public Optional<Class<? extends Record>> configType() { return delegate.configType(); }
    @Override public String schemaJson() { return delegate.schemaJson(); }
    @Override public Object newPlugin(Record config) { return delegate.newPlugin(config); }
  }
}
