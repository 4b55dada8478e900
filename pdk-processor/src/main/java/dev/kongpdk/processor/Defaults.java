package dev.kongpdk.processor;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Parses {@code @JsonProperty(defaultValue = ...)} texts into Kong {@code default} values, checked
 * against the field's type and the validators a default can break without a Lua runtime. Messages
 * complete the sentence "default of 'name' ...".
 */
final class Defaults {

  private static final Set<String> NUMERIC = Set.of("integer", "number");

  private Defaults() {}

  /**
   * Parses {@code text} for {@code field}, whose Java type is {@code javaType}.
   *
   * @throws IllegalArgumentException when the text does not fit
   */
  static Object parse(String text, Map<String, Object> field, TypeMirror javaType) {
    Object value = defaultValue(text, field);
    checkJavaRange(value, javaType);
    return value;
  }

  /** An integer default must fit the component's Java type, or every binding would fail. */
  private static void checkJavaRange(Object value, TypeMirror type) {
    if (!(value instanceof Long number)) {
      return;
    }
    String name = type.getKind().isPrimitive()
        ? type.getKind().name().toLowerCase(Locale.ROOT)
        : type.getKind() == TypeKind.DECLARED
            ? ((TypeElement) ((DeclaredType) type).asElement()).getSimpleName().toString()
            : "";
    long[] range = switch (name) {
      case "int", "Integer" -> new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
      case "short", "Short" -> new long[] {Short.MIN_VALUE, Short.MAX_VALUE};
      case "byte", "Byte" -> new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE};
      default -> null;
    };
    if (range != null && (number < range[0] || number > range[1])) {
      throw new IllegalArgumentException(number + " does not fit in " + name);
    }
  }

  /** Parses a {@code defaultValue} text for a field; messages complete "default of 'x' ...". */
  private static Object defaultValue(String text, Map<String, Object> field) {
    Object type = field.get("type");
    Object value;
    if ("string".equals(type)) {
      value = text;
    } else if (NUMERIC.contains(type) || "boolean".equals(type)) {
      value = scalar(text, (String) type);
    } else {
      try {
        value = Json.parse(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("is " + e.getMessage());
      }
    }
    return conform(value, field, "");
  }

  /** Checks a default against a field and gives numbers their Kong type; {@code where} is a path. */
  @SuppressWarnings("unchecked")
  private static Object conform(Object value, Map<String, Object> field, String where) {
    String type = (String) field.get("type");
    String at = where.isEmpty() ? "" : " at " + where;
    if (value == null) {
      throw new IllegalArgumentException("has null" + at + ": leave the value out instead");
    }
    Object result;
    switch (type) {
      case "string" -> {
        if (!(value instanceof String)) {
          throw new IllegalArgumentException("is not a string" + at);
        }
        result = value;
      }
      case "boolean" -> {
        if (!(value instanceof Boolean)) {
          throw new IllegalArgumentException("is not a boolean" + at);
        }
        result = value;
      }
      case "integer" -> {
        if (value instanceof Long) {
          result = value;
        } else if (value instanceof BigDecimal d) {
          try {
            result = d.longValueExact();
          } catch (ArithmeticException e) {
            throw new IllegalArgumentException("is not an integer" + at + ": " + Json.number(d));
          }
        } else {
          throw new IllegalArgumentException("is not an integer" + at);
        }
      }
      case "number" -> {
        if (!(value instanceof Long || value instanceof BigDecimal)) {
          throw new IllegalArgumentException("is not a number" + at);
        }
        result = value instanceof BigDecimal d ? normalize(d) : value;
      }
      case "array", "set" -> {
        if (!(value instanceof List<?> list)) {
          throw new IllegalArgumentException("is not a JSON array" + at);
        }
        List<Object> elements = new ArrayList<>();
        Map<String, Object> elementField = (Map<String, Object>) field.get("elements");
        for (int i = 0; i < list.size(); i++) {
          elements.add(conform(list.get(i), elementField, where + "[" + i + "]"));
        }
        result = elements;
      }
      case "map" -> {
        if (!(value instanceof Map<?, ?> map)) {
          throw new IllegalArgumentException("is not a JSON object" + at);
        }
        Map<String, Object> entries = new LinkedHashMap<>();
        Map<String, Object> valueField = (Map<String, Object>) field.get("values");
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          String key = (String) entry.getKey();
          entries.put(key, conform(entry.getValue(), valueField, where + "." + key));
        }
        result = entries;
      }
      case "record" -> {
        if (!(value instanceof Map<?, ?> map)) {
          throw new IllegalArgumentException("is not a JSON object" + at);
        }
        Map<String, Object> known = new LinkedHashMap<>();
        for (Object entry : (List<Object>) field.get("fields")) {
          known.putAll((Map<String, Object>) entry);
        }
        Map<String, Object> entries = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          String key = (String) entry.getKey();
          Map<String, Object> inner = (Map<String, Object>) known.get(key);
          if (inner == null) {
            throw new IllegalArgumentException("has the unknown field '" + key + "'" + at);
          }
          entries.put(key, conform(entry.getValue(), inner, where + "." + key));
        }
        result = entries;
      }
      default -> throw new IllegalStateException(type);
    }
    checkScalarRules(result, field, at);
    return result;
  }

  /** The validators a default can break without a Lua runtime: one_of, between, gt, lengths. */
  private static void checkScalarRules(Object value, Map<String, Object> field, String at) {
    List<?> oneOf = (List<?>) field.get("one_of");
    if (oneOf != null && oneOf.stream().noneMatch(o -> sameValue(o, value))) {
      throw new IllegalArgumentException(
          Json.write(value) + at + " is not one of " + Json.write(oneOf));
    }
    List<?> between = (List<?>) field.get("between");
    if (between != null) {
      BigDecimal v = decimal(value);
      if (v.compareTo(decimal(between.get(0))) < 0 || v.compareTo(decimal(between.get(1))) > 0) {
        throw new IllegalArgumentException(
            "is not between " + Json.write(between.get(0)) + " and " + Json.write(between.get(1)) + at);
      }
    }
    Object gt = field.get("gt");
    if (gt != null && decimal(value).compareTo(decimal(gt)) <= 0) {
      throw new IllegalArgumentException("is not greater than " + Json.write(gt) + at);
    }
    long length = switch (value) {
      case String s -> s.getBytes(StandardCharsets.UTF_8).length;
      case List<?> l -> l.size();
      case Map<?, ?> m -> "map".equals(field.get("type")) ? m.size() : -1;
      default -> -1;
    };
    if (length >= 0) {
      checkLength(field, "len_eq", length, length != longOf(field.get("len_eq"), length), at);
      checkLength(field, "len_min", length, length < longOf(field.get("len_min"), 0), at);
      checkLength(field, "len_max", length, length > longOf(field.get("len_max"), length), at);
      if (value instanceof String s && s.isEmpty() && !field.containsKey("len_min")) {
        throw new IllegalArgumentException(
            "is the empty string, which Kong rejects unless @Length(min = 0)");
      }
    }
  }

  private static void checkLength(
      Map<String, Object> field, String attribute, long length, boolean broken, String at) {
    if (field.containsKey(attribute) && broken) {
      throw new IllegalArgumentException(
          "has length " + length + at + ", against " + attribute + " " + field.get(attribute));
    }
  }

  private static long longOf(Object value, long otherwise) {
    return value == null ? otherwise : (Long) value;
  }

  private static boolean sameValue(Object a, Object b) {
    if (a instanceof String || b instanceof String) {
      return a.equals(b);
    }
    return decimal(a).compareTo(decimal(b)) == 0;
  }

  private static BigDecimal decimal(Object value) {
    return switch (value) {
      case Long l -> BigDecimal.valueOf(l);
      case BigDecimal d -> d;
      default -> new BigDecimal(0);
    };
  }

  private static Object normalize(BigDecimal value) {
    try {
      return value.longValueExact();
    } catch (ArithmeticException e) {
      return new BigDecimal(Json.number(value));
    }
  }

  /** Parses a scalar written in an annotation; messages complete "value 'x' ...". */
  static Object scalar(String text, String type) {
    switch (type) {
      case "string" -> {
        return text;
      }
      case "integer" -> {
        try {
          return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("is not an integer: '" + text + "'");
        }
      }
      case "number" -> {
        try {
          return normalize(new BigDecimal(text.trim()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("is not a number: '" + text + "'");
        }
      }
      case "boolean" -> {
        if (text.equals("true") || text.equals("false")) {
          return Boolean.valueOf(text);
        }
        throw new IllegalArgumentException("is not a boolean: '" + text + "' (use true or false)");
      }
      default -> throw new IllegalArgumentException("cannot be parsed as " + type);
    }
  }
}
