package ${package};

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kongpdk.Kong;
import dev.kongpdk.plugin.AccessPhase;
import dev.kongpdk.plugin.KongPlugin;

/**
 * The ${pluginName} plugin: in the access phase it reads the Host header and sets
 * {@code x-hello-from-java: Java says <message> to <host>} on the response.
 */
@KongPlugin(name = "${pluginName}", version = "0.1.0", priority = 1000)
public final class ${className} implements AccessPhase {

  /** The plugin's config; Kong's schema for it is generated from this record. */
  public record Config(@JsonProperty(defaultValue = "hello") String message) {}

  private final Config config;

  public ${className}(Config config) {
    this.config = config;
  }

  @Override
  public void access(Kong kong) {
    String host = kong.request().getHeader("host").orElse("unknown");
    kong.response().setHeader("x-hello-from-java", "Java says " + config.message() + " to " + host);
  }
}
