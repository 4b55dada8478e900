package dev.kongpdk.bridge.internal.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kongpdk.bridge.ConfigException;
import dev.kongpdk.plugin.PluginDescriptor;
import java.util.Iterator;
import java.util.Map;

/**
 * Binds the config JSON Kong sends with {@code plugin.StartInstance} to a plugin's config record.
 * Defaults come from the plugin's schema, so a config that did not pass through Kong gets the same
 * values Kong would have filled in; keys Kong injects ({@code __seq__}, {@code route_id}, ...) and
 * other unknown keys are ignored.
 */
public final class ConfigBinder {

  private final ObjectMapper mapper =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  /**
   * Binds {@code configJson} to the descriptor's config record.
   *
   * @param descriptor the plugin
   * @param configJson the JSON text Kong sent; {@code null} or empty means no settings
   * @return the record, or {@code null} when the plugin takes no config
   * @throws ConfigException when the JSON is malformed or a field has the wrong type
   */
  public Record bind(PluginDescriptor descriptor, String configJson) throws ConfigException {
    if (descriptor.configType().isEmpty()) {
      return null;
    }
    Class<? extends Record> type = descriptor.configType().get();
    JsonNode config = parse(configJson);
    if (!config.isObject()) {
      throw new ConfigException("config: expected a JSON object but got " + config.getNodeType());
    }
    applyDefaults((ObjectNode) config, configFields(parse(descriptor.schemaJson())));
    try {
      return mapper.treeToValue(config, type);
    } catch (JsonMappingException e) {
      throw new ConfigException("config" + path(e) + ": " + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new ConfigException("config: " + e.getOriginalMessage(), e);
    }
  }

  private JsonNode parse(String json) throws ConfigException {
    if (json == null || json.isBlank()) {
      return mapper.createObjectNode();
    }
    try {
      return mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ConfigException("config: not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The {@code fields} array of the {@code config} record in a plugin schema. */
  private static JsonNode configFields(JsonNode schema) {
    for (JsonNode field : schema.path("fields")) {
      if (field.has("config")) {
        return field.path("config").path("fields");
      }
    }
    return schema.path("__none__");
  }

  private static void applyDefaults(ObjectNode config, JsonNode fields) {
    for (JsonNode field : fields) {
      Iterator<Map.Entry<String, JsonNode>> entries = field.fields();
      while (entries.hasNext()) {
        Map.Entry<String, JsonNode> entry = entries.next();
        String name = entry.getKey();
        JsonNode attributes = entry.getValue();
        JsonNode value = config.get(name);
        if ((value == null || value.isNull()) && attributes.has("default")) {
          config.set(name, attributes.get("default").deepCopy());
        }
        value = config.get(name);
        if (value != null && value.isObject() && "record".equals(attributes.path("type").asText())) {
          applyDefaults((ObjectNode) value, attributes.path("fields"));
        }
      }
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        path.append('.').append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }
}
