package dev.kongpdk.testkit;

import dev.kongpdk.Kong;
import dev.kongpdk.plugin.AccessPhase;

/** The plugin of the testing guide: greets the caller in a response header. */
public final class Hello implements AccessPhase {

  /** @param message the greeting */
  public record Config(String message) {}

  private final Config config;

  /** @param config the bound config */
  public Hello(Config config) {
    this.config = config;
  }

  @Override
  public void access(Kong kong) {
    String host = kong.request().getHeader("host").orElse("unknown");
    kong.response().setHeader("x-hello-from-java", "Java says " + config.message() + " to " + host);
  }

  /** The descriptor the annotation processor would generate for {@code Hello}. */
  public static final class Descriptor extends TestDescriptor {
    /** Creates it; ServiceLoader needs a public no-argument constructor. */
    public Descriptor() {
      super("hello", 1000, java.util.List.of(dev.kongpdk.plugin.Phase.ACCESS), Hello.class, Config.class,
          "[{\"message\":{\"type\":\"string\",\"default\":\"hello\"}}]", config -> new Hello((Config) config));
    }
  }
}
