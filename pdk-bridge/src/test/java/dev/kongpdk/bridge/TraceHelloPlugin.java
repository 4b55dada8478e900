package dev.kongpdk.bridge;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kongpdk.Kong;
import dev.kongpdk.plugin.AccessPhase;
import dev.kongpdk.plugin.Phase;
import java.util.List;
import java.util.Map;

/**
 * The "hello" plugin of the recorded Kong traces ({@code src/test/resources/kong-traces}), written
 * in Java: it makes the same PDK calls with the same arguments as the recorded server.
 */
public final class TraceHelloPlugin implements AccessPhase {

  public record Config(
      @JsonProperty(defaultValue = "Hello") String greeting,
      @JsonProperty(defaultValue = "hello") String mode) {}

  static final String SCHEMA =
      "{\"name\":\"hello\",\"fields\":[{\"config\":{\"type\":\"record\",\"fields\":["
          + "{\"greeting\":{\"type\":\"string\",\"default\":\"Hello\"}},"
          + "{\"mode\":{\"type\":\"string\",\"default\":\"hello\",\"one_of\":[\"hello\",\"deny\"]}}]}}]}";

  static TestDescriptor descriptor() {
    return new TestDescriptor("hello", List.of(Phase.ACCESS), false, TraceHelloPlugin.class,
        Config.class, SCHEMA, config -> new TraceHelloPlugin((Config) config));
  }

  private final Config config;

  TraceHelloPlugin(Config config) {
    this.config = config;
  }

  @Override
  public void access(Kong kong) {
    String name = kong.request().getHeader("x-name").orElse("stranger");
    kong.response().setHeader("X-Hello", config.greeting() + " " + name);
    kong.service().request().setHeader("X-Hello-Upstream", "from-js " + name);
    kong.log().notice("hello plugin: greeted " + name + " mode=" + config.mode());
    if (config.mode().equals("deny")) {
      kong.response().exit(403, Map.of("message", "denied by hello plugin"), Map.of("X-Hello-Denied", "1"));
    }
  }
}
