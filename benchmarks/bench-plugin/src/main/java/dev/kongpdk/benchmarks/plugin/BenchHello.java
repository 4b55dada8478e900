package dev.kongpdk.benchmarks.plugin;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kongpdk.Kong;
import dev.kongpdk.plugin.AccessPhase;

/** The benchmark workload: exactly what examples/hello does, one header read and one write. */
public final class BenchHello implements AccessPhase {

  /** The plugin's config. */
  public record Config(@JsonProperty(defaultValue = "hello") String message) {}

  private final Config config;

  public BenchHello(Config config) {
    this.config = config;
  }

  @Override
  public void access(Kong kong) {
    String host = kong.request().getHeader("host").orElse("unknown");
    kong.response().setHeader("x-hello-from-java", "Java says " + config.message() + " to " + host);
  }
}
