package dev.kongpdk.testkit.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The plain values that cross the bridge ({@code null}, Boolean, Long, Double, String, byte[],
 * List, Map), and the rules Kong's Lua side applies to them.
 */
public final class WireValues {

  private WireValues() {}

  /**
   * Normalises a value a plugin sends: integral boxes widen to {@code Long}, {@code Float} to
   * {@code Double}, arrays and collections become lists, map keys become strings.
   *
   * @param value the value
   * @return the plain value
   * @throws IllegalArgumentException for a type that cannot cross the bridge
   */
  public static Object fromPlugin(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean
        || value instanceof Long || value instanceof Double || value instanceof byte[]) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    if (value instanceof CharSequence s) {
      return s.toString();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), fromPlugin(v)));
      return copy;
    }
    if (value instanceof Collection<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(fromPlugin(v)));
      return copy;
    }
    if (value instanceof Object[] array) {
      return fromPlugin(List.of(array));
    }
    throw new IllegalArgumentException(
        "a " + value.getClass().getName() + " cannot cross the bridge; use null, Boolean, numbers,"
            + " String, byte[], List or Map");
  }

  /**
   * Converts a result the way Kong's MessagePack packer sends it: integral numbers become {@code
   * Long}, and an empty table becomes an empty list (Lua cannot tell an empty map from an empty
   * array).
   *
   * @param value a plain value
   * @return the value as the plugin server receives it
   */
  public static Object toWire(Object value) {
    if (value instanceof Double d && !d.isInfinite() && !d.isNaN() && d == Math.rint(d)
        && Math.abs(d) < 0x1p63) {
      return d.longValue();
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      return toWire(f.doubleValue());
    }
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        return List.of();
      }
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), toWire(v)));
      return copy;
    }
    if (value instanceof Collection<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(toWire(v)));
      return copy;
    }
    return value;
  }

  /**
   * Renders a value as Lua's {@code tostring} family would for log messages: strings as is,
   * integral numbers without a fraction, {@code nil}, {@code true}/{@code false}.
   *
   * @param value the value
   * @return the text
   */
  public static String luaText(Object value) {
    if (value == null) {
      return "nil";
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    if (value instanceof Double d) {
      return d == Math.rint(d) && !d.isInfinite() ? Long.toString(d.longValue()) : String.format("%.14g", d).replaceAll("0+$", "");
    }
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      return render(value);
    }
    return String.valueOf(value);
  }

  private static Map<String, Object> stringKeys(Map<?, ?> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(String.valueOf(k), v));
    return copy;
  }

  /**
   * Renders a value for people: JSON-like with map keys sorted, byte arrays as {@code bin(base64)}.
   *
   * @param value the value
   * @return the text
   */
  public static String render(Object value) {
    if (value == null) {
      return "nil";
    }
    if (value instanceof String s) {
      return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
    if (value instanceof byte[] bytes) {
      return "bin(" + Base64.getEncoder().encodeToString(bytes) + ")";
    }
    if (value instanceof Map<?, ?> map) {
      StringJoiner j = new StringJoiner(", ", "{", "}");
      // Lua tables have no order: sorted keys make renderings comparable
      new java.util.TreeMap<String, Object>(stringKeys(map)).forEach((k, v) -> j.add(render(k) + ": " + render(v)));
      return j.toString();
    }
    if (value instanceof List<?> list) {
      StringJoiner j = new StringJoiner(", ", "[", "]");
      list.forEach(v -> j.add(render(v)));
      return j.toString();
    }
    return String.valueOf(value);
  }
}
