package com.example.transformer;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kongpdk.Kong;
import dev.kongpdk.plugin.KongPlugin;
import dev.kongpdk.plugin.ResponsePhase;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rewrites the upstream's JSON response: removes, renames and adds top-level fields, and sets
 * response headers. Named {@code json-transformer} so that it does not clash with Kong's bundled
 * {@code response-transformer}.
 */
@KongPlugin(name = "json-transformer", version = "0.1.0", priority = 790)
public final class JsonTransformer implements ResponsePhase {

  // tag::config[]
  /** The plugin's config; Kong's schema for it is generated from this record. */
  public record Config(
      @JsonProperty(defaultValue = "[]") @JsonPropertyDescription("Top-level fields to remove.")
          List<String> remove,
      @JsonProperty(defaultValue = "{}") @JsonPropertyDescription("Top-level fields to rename: old name to new name.")
          Map<String, String> rename,
      @JsonProperty(defaultValue = "{}") @JsonPropertyDescription("Top-level string fields to add or replace.")
          Map<String, String> add,
      @JsonProperty(value = "set_headers", defaultValue = "{}") Map<String, String> setHeaders) {}
  // end::config[]

  private final Config config;
  private final ObjectMapper json = new ObjectMapper();

  public JsonTransformer(Config config) {
    this.config = config;
  }

  // tag::response[]
  @Override
  public void response(Kong kong) throws IOException {
    config.setHeaders().forEach((name, value) -> kong.response().setHeader(name, value));

    boolean isJson = kong.service().response().getHeader("content-type")
        .filter(type -> type.toLowerCase().startsWith("application/json")).isPresent();
    Optional<byte[]> body = kong.service().response().getRawBody();
    if (!isJson || body.isEmpty()) {
      return; // not ours to rewrite: the client gets the upstream's body unchanged
    }
    JsonNode document;
    try {
      document = json.readTree(body.get());
    } catch (JacksonException e) {
      kong.log().warn("upstream body is not valid JSON, left unchanged: ", e.getOriginalMessage());
      return;
    }
    if (!(document instanceof ObjectNode object)) {
      return; // an array or a scalar: there are no top-level fields to change
    }
    transform(object);
    // The only way to replace the body in the response phase: exit with the new one.
    kong.response().exit(kong.response().getStatus(), json.writeValueAsBytes(object),
        Map.of("Content-Type", "application/json"));
  }

  private void transform(ObjectNode object) {
    config.remove().forEach(object::remove);
    config.rename().forEach((from, to) -> {
      JsonNode value = object.remove(from);
      if (value != null) {
        object.set(to, value);
      }
    });
    config.add().forEach(object::put);
  }
  // end::response[]
}
