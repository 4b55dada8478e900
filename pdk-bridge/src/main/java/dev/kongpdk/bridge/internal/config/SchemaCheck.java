package dev.kongpdk.bridge.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kongpdk.plugin.schema.LuaPattern;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Applies a Kong schema to a config the way Kong does before it stores a plugin: fills in defaults
 * (also in nested records), treats JSON {@code null} as absent, and checks types and validators in
 * Kong's order, with Kong's messages. A config that reached the plugin server without Kong's
 * validation is rejected by the same rules. Unknown keys are left alone (the binder ignores them).
 *
 * <p>Not thread-safe: one instance per check.
 */
final class SchemaCheck {

  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", Pattern.CASE_INSENSITIVE);

  private final List<String> problems = new ArrayList<>();

  private SchemaCheck() {}

  /**
   * Completes and checks {@code config} in place.
   *
   * @param config the config object, changed in place: defaults added, nulls removed
   * @param fields the {@code fields} array of the schema's {@code config} record
   * @param path the name of the config in messages, {@code "config"}
   * @return the problems, each {@code path: reason}; empty when the config is valid
   */
  static List<String> check(ObjectNode config, JsonNode fields, String path) {
    SchemaCheck check = new SchemaCheck();
    check.record(config, fields, path);
    return check.problems;
  }

  private void record(ObjectNode value, JsonNode fields, String path) {
    removeNulls(value);
    for (JsonNode entry : fields) {
      Iterator<Map.Entry<String, JsonNode>> single = entry.properties().iterator();
      if (!single.hasNext()) {
        continue;
      }
      Map.Entry<String, JsonNode> field = single.next();
      String name = field.getKey();
      JsonNode attributes = field.getValue();
      String fieldPath = path + "." + name;
      JsonNode present = value.get(name);
      if (present == null) {
        if (attributes.has("default")) {
          present = attributes.get("default").deepCopy();
        } else if (attributes.path("required").asBoolean(false)) {
          if (!"record".equals(type(attributes))) {
            problems.add(fieldPath + ": required field missing");
            continue;
          }
          present = JsonNodeFactory.instance.objectNode();
        } else {
          continue;
        }
        value.set(name, present);
      }
      JsonNode checked = field(present, attributes, fieldPath);
      if (checked != present) {
        value.set(name, checked);
      }
    }
  }

  /** Checks one value; returns it, or the same value in the form the binder needs. */
  private JsonNode field(JsonNode value, JsonNode attributes, String path) {
    String type = type(attributes);
    JsonNode result = value;
    switch (type) {
      case "string" -> {
        if (!value.isTextual()) {
          return typeProblem(path, "a string", value);
        }
        if (attributes.path("referenceable").asBoolean(false) && isReference(value.textValue())) {
          return value; // Kong resolves references before the plugin sees them
        }
      }
      case "integer" -> {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
          break;
        }
        if (value.isNumber() && isWhole(value.decimalValue())) {
          result = JsonNodeFactory.instance.numberNode(value.decimalValue().longValueExact());
          break;
        }
        return typeProblem(path, "an integer", value);
      }
      case "number" -> {
        if (!value.isNumber()) {
          return typeProblem(path, "a number", value);
        }
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          return typeProblem(path, "a boolean", value);
        }
      }
      case "array", "set" -> {
        if (!value.isArray()) {
          return typeProblem(path, "set".equals(type) ? "a set" : "an array", value);
        }
        elements((ArrayNode) value, attributes.path("elements"), path);
      }
      case "map" -> {
        if (!value.isObject()) {
          return typeProblem(path, "a map", value);
        }
        mapValues((ObjectNode) value, attributes.path("values"), path);
      }
      case "record" -> {
        if (!value.isObject()) {
          return typeProblem(path, "a record", value);
        }
        record((ObjectNode) value, attributes.path("fields"), path);
        return value;
      }
      default -> {
        return value; // a type this kit never writes; Kong checked it
      }
    }
    String broken;
    try {
      broken = validators(result, attributes, type);
    } catch (UncheckablePatternException e) {
      broken = "cannot be checked: " + e.getMessage();
    }
    if (broken != null) {
      problems.add(path + ": " + broken);
    }
    return result;
  }

  private void elements(ArrayNode array, JsonNode elementAttributes, String path) {
    for (int i = 0; i < array.size(); i++) {
      String elementPath = path + "[" + i + "]";
      JsonNode element = array.get(i);
      if (element.isNull()) {
        problems.add(elementPath + ": required field missing");
        continue;
      }
      JsonNode checked = field(element, elementAttributes, elementPath);
      if (checked != element) {
        array.set(i, checked);
      }
    }
  }

  private void mapValues(ObjectNode map, JsonNode valueAttributes, String path) {
    List<String> names = new ArrayList<>();
    map.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      String entryPath = path + "." + name;
      JsonNode entry = map.get(name);
      if (entry.isNull()) {
        problems.add(entryPath + ": required field missing");
        continue;
      }
      JsonNode checked = field(entry, valueAttributes, entryPath);
      if (checked != entry) {
        map.set(name, checked);
      }
    }
  }

  /** Runs the validators in Kong's {@code Schema.validators_order}; returns the first failure. */
  private static String validators(JsonNode value, JsonNode a, String type) {
    if (a.has("one_of") && !oneOf(value, a.get("one_of"))) {
      List<String> options = new ArrayList<>();
      a.get("one_of").forEach(o -> options.add(o.asText()));
      return "expected one of: " + String.join(", ", options);
    }
    if (a.has("gt") && value.decimalValue().compareTo(a.get("gt").decimalValue()) <= 0) {
      return "value must be greater than " + a.get("gt").asText();
    }
    if (a.path("uuid").asBoolean(false) && !UUID.matcher(value.asText()).matches()) {
      return "expected a valid UUID";
    }
    if (a.path("is_regex").asBoolean(false) && !isRegex(value.asText())) {
      return "not a valid regex";
    }
    if (a.has("between")) {
      BigDecimal n = value.decimalValue();
      JsonNode limits = a.get("between");
      if (n.compareTo(limits.get(0).decimalValue()) < 0 || n.compareTo(limits.get(1).decimalValue()) > 0) {
        return "value should be between " + limits.get(0).asText() + " and " + limits.get(1).asText();
      }
    }
    long length = length(value, type);
    if (a.has("len_eq") && length != a.get("len_eq").asLong()) {
      return "length must be " + a.get("len_eq").asLong();
    }
    // Kong gives strings an implicit len_min of 1: empty strings need an explicit len_min = 0.
    long lenMin = a.has("len_min") ? a.get("len_min").asLong() : "string".equals(type) ? 1 : -1;
    if (lenMin >= 0 && length < lenMin) {
      return "length must be at least " + lenMin;
    }
    if (a.has("len_max") && length > a.get("len_max").asLong()) {
      return "length must be at most " + a.get("len_max").asLong();
    }
    if (!value.isTextual()) {
      return null;
    }
    String text = value.textValue();
    if (a.has("starts_with") && !text.startsWith(a.get("starts_with").asText())) {
      return "should start with: " + a.get("starts_with").asText();
    }
    // Unlike Kong's messages, these never repeat the value: it may be a secret (encrypted field).
    if (a.has("not_match") && find(a.get("not_match").asText(), text)) {
      return "invalid value: must not match " + a.get("not_match").asText();
    }
    if (a.has("match") && !find(a.get("match").asText(), text)) {
      return "invalid value: must match " + a.get("match").asText();
    }
    if (a.has("match_any")) {
      JsonNode matchAny = a.get("match_any");
      boolean any = false;
      for (JsonNode pattern : matchAny.path("patterns")) {
        any |= find(pattern.asText(), text);
      }
      if (!any) {
        return matchAny.has("err") ? matchAny.get("err").asText() : "invalid value: must match one of the patterns";
      }
    }
    return null;
  }

  /**
   * Lua's {@code string.find(text, pattern)}. A pattern this side cannot check (only {@code %b},
   * which the annotation processor rejects) fails the check rather than passing unchecked.
   */
  private static boolean find(String pattern, String text) {
    try {
      return LuaPattern.compile(pattern).find(text);
    } catch (IllegalArgumentException e) {
      throw new UncheckablePatternException(e.getMessage());
    }
  }

  /** A schema pattern the Java side cannot evaluate. */
  static final class UncheckablePatternException extends RuntimeException {
    UncheckablePatternException(String message) {
      super(message);
    }
  }

  private static boolean oneOf(JsonNode value, JsonNode options) {
    for (JsonNode option : options) {
      if (value.isNumber() && option.isNumber()
          ? value.decimalValue().compareTo(option.decimalValue()) == 0
          : value.equals(option)) {
        return true;
      }
    }
    return false;
  }

  /** Lua's {@code #}: bytes of a string, elements of an array, entries of a map. */
  private static long length(JsonNode value, String type) {
    if (value.isTextual()) {
      return value.textValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (value.isContainerNode() && !"record".equals(type)) {
      return value.size();
    }
    return -1;
  }

  private static boolean isRegex(String text) {
    try {
      Pattern.compile(text);
      return true;
    } catch (PatternSyntaxException e) {
      return false;
    }
  }

  /** Kong's {@code kong.vault.is_reference}: {@code {vault://...}}. */
  private static boolean isReference(String text) {
    return text.startsWith("{vault://") && text.endsWith("}");
  }

  private static boolean isWhole(BigDecimal value) {
    return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
  }

  private static String type(JsonNode attributes) {
    return attributes.path("type").asText("");
  }

  private JsonNode typeProblem(String path, String expected, JsonNode value) {
    problems.add(path + ": expected " + expected + " but got " + shown(value));
    return value;
  }

  /**
   * Names the kind of value that was found, never the value itself: configs carry secrets
   * (encrypted fields), and errors end up in Kong's log.
   */
  private static String shown(JsonNode value) {
    return switch (value.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> value.isIntegralNumber() ? "an integer" : "a number";
      case BOOLEAN -> "a boolean";
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      case BINARY -> "binary data";
      case NULL, MISSING -> "nothing";
    };
  }

  private static void removeNulls(ObjectNode value) {
    List<String> nulls = new ArrayList<>();
    value.properties().forEach(e -> {
      if (e.getValue().isNull()) {
        nulls.add(e.getKey());
      }
    });
    nulls.forEach(value::remove);
  }
}
