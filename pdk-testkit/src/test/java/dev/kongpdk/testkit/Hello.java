package dev.kongpdk.testkit;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kongpdk.Kong;
import dev.kongpdk.plugin.AccessPhase;
import dev.kongpdk.plugin.KongPlugin;
import dev.kongpdk.plugin.Phase;
import java.util.List;

/** The plugin of the testing guide: greets the caller in a response header. */
@KongPlugin(name = "hello", version = "0.1.0", priority = 1000)
public final class Hello implements AccessPhase {

  /** @param message the greeting */
  public record Config(@JsonProperty(defaultValue = "hello") String message) {}

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

  /**
   * The descriptor pdk-processor generates for {@code Hello}, written by hand here because the
   * testkit's own tests do not run the processor; registered in META-INF/services.
   */
  public static final class Descriptor extends TestDescriptor {
    /** Creates it; ServiceLoader needs a public no-argument constructor. */
    public Descriptor() {
      super("hello", 1000, List.of(Phase.ACCESS), Hello.class, Config.class,
          "[{\"message\":{\"type\":\"string\",\"default\":\"hello\"}}]", config -> new Hello((Config) config));
    }
  }
}
