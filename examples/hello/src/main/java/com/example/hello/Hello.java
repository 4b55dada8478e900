package com.example.hello;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kongpdk.Kong;
import dev.kongpdk.plugin.AccessPhase;
import dev.kongpdk.plugin.KongPlugin;

/** Kong's go-hello, in Java: greets the caller in a response header. */
// tag::plugin[]
@KongPlugin(name = "hello", version = "0.1.0", priority = 1000)
public final class Hello implements AccessPhase {

  /** The plugin's config; Kong's schema for it is generated from this record. */
  public record Config(@JsonProperty(defaultValue = "hello") String message) {}

  private final Config config;

  public Hello(Config config) {
    this.config = config;
  }

  @Override
  public void access(Kong kong) {
    String host = kong.request().getHeader("host").orElse("unknown");
    kong.response().setHeader("x-hello-from-java", "Java says " + config.message() + " to " + host);
  }
}
// end::plugin[]
