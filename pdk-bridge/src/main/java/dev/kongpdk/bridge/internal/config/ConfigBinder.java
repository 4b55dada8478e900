package dev.kongpdk.bridge.internal.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.kongpdk.bridge.ConfigException;
import dev.kongpdk.plugin.InstanceInfo;
import dev.kongpdk.plugin.PluginDescriptor;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Binds the config JSON Kong sends with {@code plugin.StartInstance} to a plugin's config record.
 *
 * <p>The plugin's schema is applied first, as Kong applies it before it stores a plugin: defaults
 * are filled in (also in nested records), JSON {@code null} counts as absent, and every type and
 * validator is checked with Kong's rules and messages, so a config that reached the server without
 * Kong's validation is rejected the same way. Keys Kong injects ({@code __seq__}, {@code route_id},
 * ...; see {@link #instanceInfo(String)}) and other unknown keys are ignored.
 *
 * <p>Thread-safe.
 */
public final class ConfigBinder {

  /** The keys Kong's plugins iterator adds to every plugin config; never part of the config. */
  public static final Set<String> INJECTED_KEYS =
      Set.of(
          "__seq__", "__key__", "__plugin_id", "__ws_id", "route_id", "service_id", "consumer_id",
          "plugin_instance_name", "$refs");

  private final ObjectMapper mapper =
      JsonMapper.builder()
          .addModule(new Jdk8Module())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  /** Creates a binder. */
  public ConfigBinder() {}

  /**
   * Binds {@code configJson} to the descriptor's config record.
   *
   * @param descriptor the plugin
   * @param configJson the JSON text Kong sent; {@code null} or blank means no settings
   * @return the record, or {@code null} when the plugin takes no config
   * @throws ConfigException when the JSON is malformed, or breaks the schema (the message names
   *     every offending field, for example {@code config.limits.max: expected an integer but got
   *     "x"})
   */
  public Record bind(PluginDescriptor descriptor, String configJson) throws ConfigException {
    ObjectNode config = parseObject(configJson);
    if (descriptor.configType().isEmpty()) {
      return null;
    }
    Class<? extends Record> type = descriptor.configType().get();
    INJECTED_KEYS.forEach(config::remove);
    List<String> problems = SchemaCheck.check(config, configFields(descriptor), "config");
    if (!problems.isEmpty()) {
      throw new ConfigException(String.join("; ", problems));
    }
    try {
      return mapper.treeToValue(config, type);
    } catch (JsonMappingException e) {
      throw new ConfigException("config" + path(e) + ": " + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new ConfigException("config: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Reads what Kong says about the instance from the keys it injects into the config JSON.
   *
   * @param configJson the JSON text Kong sent; {@code null} or blank gives {@link
   *     InstanceInfo#none()}
   * @return the instance information; keys Kong did not send are empty
   * @throws ConfigException when the JSON is malformed or not an object
   */
  public InstanceInfo instanceInfo(String configJson) throws ConfigException {
    ObjectNode config = parseObject(configJson);
    return new InstanceInfo(
        text(config, "__plugin_id"),
        text(config, "route_id"),
        text(config, "service_id"),
        text(config, "consumer_id"),
        text(config, "plugin_instance_name"),
        text(config, "__ws_id"));
  }

  private static Optional<String> text(ObjectNode config, String key) {
    JsonNode value = config.get(key);
    return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
  }

  private ObjectNode parseObject(String json) throws ConfigException {
    if (json == null || json.isBlank()) {
      return mapper.createObjectNode();
    }
    JsonNode node;
    try {
      node = mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ConfigException("config: not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new ConfigException(
          "config: expected a JSON object but got " + (node == null ? "nothing" : node.getNodeType()));
    }
    return (ObjectNode) node;
  }

  /** The {@code fields} array of the {@code config} record in the plugin's schema. */
  private JsonNode configFields(PluginDescriptor descriptor) throws ConfigException {
    JsonNode schema;
    try {
      schema = mapper.readTree(descriptor.schemaJson());
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          "the schema of plugin '" + descriptor.name() + "' is not valid JSON: " + e.getOriginalMessage(), e);
    }
    for (JsonNode field : schema.path("fields")) {
      if (field.has("config")) {
        return field.path("config").path("fields");
      }
    }
    return mapper.createArrayNode();
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
