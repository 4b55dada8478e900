package dev.kongpdk.processor;

import dev.kongpdk.plugin.schema.LuaPattern;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Element;

/**
 * Reads the validator annotations of {@code dev.kongpdk.plugin.schema} on one record component into
 * Kong attributes, and rejects those that do not fit the component's type.
 */
final class Validators {

  private static final String PACKAGE = "dev.kongpdk.plugin.schema.";
  private static final Set<String> NUMERIC = Set.of("integer", "number");
  private static final Set<String> SIZED = Set.of("string", "array", "set", "map");

  private final Annotations annotations;

  Validators(Annotations annotations) {
    this.annotations = annotations;
  }

  /**
   * Adds the Kong attributes of the validator annotations found on {@code places} to {@code field}
   * (or to its elements or map values, see {@code docs/schema.md}).
   */
  void apply(Map<String, Object> field, Element component, List<Element> places)
      throws InvalidPluginException {
    Optional<Annotations.Found> length = annotations.find(PACKAGE + "Length", places);
    if (length.isPresent()) {
      length(field, length.get());
    }
    Optional<Annotations.Found> encrypted = annotations.find(PACKAGE + "Encrypted", places);
    if (encrypted.isPresent()) {
      Object type = field.get("type");
      boolean strings = "string".equals(type)
          || (("array".equals(type) || "set".equals(type)) && "string".equals(elementType(field)));
      if (!strings) {
        throw misplaced(encrypted.get(), "a String or a list or set of strings");
      }
      field.put("encrypted", true);
    }
    Map<String, Object> target = elementTarget(field);
    String type = (String) target.get("type");
    for (String simple : List.of("OneOf", "Between", "Gt", "StartsWith", "Match", "NotMatch",
        "MatchAny", "IsRegex", "Uuid", "Referenceable")) {
      Optional<Annotations.Found> found = annotations.find(PACKAGE + simple, places);
      if (found.isEmpty()) {
        continue;
      }
      Annotations.Found v = found.get();
      switch (simple) {
        case "OneOf" -> {
          if (!NUMERIC.contains(type) && !"string".equals(type)) {
            throw misplaced(v, "a String, integer or number (or a collection of them)");
          }
          if (target.containsKey("one_of")) {
            throw new InvalidPluginException(
                "@OneOf on an enum: its constants already are the accepted values", component,
                v.mirror(), null);
          }
          List<Object> values = new ArrayList<>();
          for (String text : v.strings("value")) {
            try {
              values.add(Defaults.scalar(text, type));
            } catch (IllegalArgumentException e) {
              throw new InvalidPluginException(
                  "@OneOf value '" + text + "' " + e.getMessage(), v.on(), v.mirror(), v.value("value"));
            }
          }
          target.put("one_of", values);
        }
        case "Between" -> {
          requireNumeric(v, type);
          double min = v.decimal("min");
          double max = v.decimal("max");
          if (min > max) {
            throw new InvalidPluginException(
                "@Between min " + min + " is greater than max " + max, v.on(), v.mirror(), null);
          }
          target.put("between", List.of(bound(v, "min", type), bound(v, "max", type)));
        }
        case "Gt" -> {
          requireNumeric(v, type);
          target.put("gt", number(v.decimal("value")));
        }
        case "StartsWith" -> {
          requireString(v, type);
          target.put("starts_with", v.string("value"));
        }
        case "Match", "NotMatch" -> {
          requireString(v, type);
          target.put(simple.equals("Match") ? "match" : "not_match", pattern(v, v.string("value")));
        }
        case "MatchAny" -> {
          requireString(v, type);
          List<Object> patterns = new ArrayList<>();
          for (String pattern : v.strings("patterns")) {
            patterns.add(pattern(v, pattern));
          }
          if (patterns.isEmpty()) {
            throw new InvalidPluginException(
                "@MatchAny needs at least one pattern", v.on(), v.mirror(), null);
          }
          Map<String, Object> matchAny = new LinkedHashMap<>();
          matchAny.put("patterns", patterns);
          if (!v.string("err").isEmpty()) {
            matchAny.put("err", v.string("err"));
          }
          target.put("match_any", matchAny);
        }
        case "IsRegex" -> {
          requireString(v, type);
          target.put("is_regex", true);
        }
        case "Uuid" -> {
          requireString(v, type);
          target.put("uuid", true);
        }
        case "Referenceable" -> {
          requireString(v, type);
          target.put("referenceable", true);
        }
        default -> throw new IllegalStateException(simple);
      }
    }
    if (target != field) {
      Map<String, Object> reordered = SchemaReader.ordered(target);
      target.clear();
      target.putAll(reordered);
    }
  }

  private void length(Map<String, Object> field, Annotations.Found v)
      throws InvalidPluginException {
    if (!SIZED.contains(field.get("type"))) {
      throw misplaced(v, "a String, list, set, array or map");
    }
    int eq = v.integer("eq");
    int min = v.integer("min");
    int max = v.integer("max");
    if (eq < -1 || min < -1 || max < -1) {
      throw new InvalidPluginException("@Length values cannot be negative", v.on(), v.mirror(), null);
    }
    if (eq >= 0 && (min >= 0 || max >= 0)) {
      throw new InvalidPluginException(
          "@Length: give eq, or min and/or max, not both", v.on(), v.mirror(), null);
    }
    if (eq < 0 && min < 0 && max < 0) {
      throw new InvalidPluginException(
          "@Length: give eq, min or max", v.on(), v.mirror(), null);
    }
    if (min >= 0 && max >= 0 && min > max) {
      throw new InvalidPluginException(
          "@Length: min " + min + " is greater than max " + max, v.on(), v.mirror(), null);
    }
    if (eq >= 0) {
      field.put("len_eq", (long) eq);
    }
    if (min >= 0) {
      field.put("len_min", (long) min);
    }
    if (max >= 0) {
      field.put("len_max", (long) max);
    }
  }

  /** Where element validators go: the field, or the elements of a list or set, or map values. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> elementTarget(Map<String, Object> field) {
    Object type = field.get("type");
    if ("array".equals(type) || "set".equals(type)) {
      return (Map<String, Object>) field.get("elements");
    }
    if ("map".equals(type)) {
      return (Map<String, Object>) field.get("values");
    }
    return field;
  }

  @SuppressWarnings("unchecked")
  private static Object elementType(Map<String, Object> field) {
    return ((Map<String, Object>) field.get("elements")).get("type");
  }

  private static String pattern(Annotations.Found v, String pattern) throws InvalidPluginException {
    try {
      LuaPattern.compile(pattern);
      return pattern;
    } catch (IllegalArgumentException e) {
      throw new InvalidPluginException(e.getMessage(), v.on(), v.mirror(), null);
    }
  }

  private static Object bound(Annotations.Found v, String name, String type)
      throws InvalidPluginException {
    double value = v.decimal(name);
    Object bound = number(value);
    if ("integer".equals(type) && !(bound instanceof Long)) {
      throw new InvalidPluginException(
          "@Between " + name + " " + value + " on an integer must be a whole number", v.on(),
          v.mirror(), v.value(name));
    }
    return bound;
  }

  private static Object number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 9.007199254740992E15) {
      return (long) value;
    }
    return new BigDecimal(Double.toString(value));
  }

  private static void requireNumeric(Annotations.Found v, String type) throws InvalidPluginException {
    if (!NUMERIC.contains(type)) {
      throw misplaced(v, "an integer or number (or a collection of them)");
    }
  }

  private static void requireString(Annotations.Found v, String type) throws InvalidPluginException {
    if (!"string".equals(type)) {
      throw misplaced(v, "a String (or a collection of strings)");
    }
  }

  private static InvalidPluginException misplaced(Annotations.Found v, String allowed) {
    String simple = v.mirror().getAnnotationType().asElement().getSimpleName().toString();
    return new InvalidPluginException(
        "@" + simple + " is not allowed here: it applies to " + allowed, v.on(), v.mirror(), null);
  }
}
