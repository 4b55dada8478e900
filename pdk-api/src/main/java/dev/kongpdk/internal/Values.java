package dev.kongpdk.internal;

import dev.kongpdk.PdkException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Decodes the plain values Kong answers with into the types the typed API returns. */
public final class Values {

  private Values() {}

  /** A string result; Kong 2.8 may send bytes as a string, so {@code byte[]} is read as UTF-8. */
  public static Optional<String> optionalString(String method, Object value) {
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof String s) {
      return Optional.of(s);
    }
    if (value instanceof byte[] bytes) {
      return Optional.of(new String(bytes, StandardCharsets.UTF_8));
    }
    throw unexpected(method, "a string", value);
  }

  /**
   * A header or query multimap as Kong's {@code StepMultiMap} carries it: names mapped to arrays of
   * strings, where an empty array stands for a query flag without value. Kong packs an empty table
   * as an empty array, so an empty list is read as an empty map. The result is case-insensitive on
   * names.
   */
  public static Map<String, List<String>> multiMap(String method, Object value) {
    if (value == null) {
      return Map.of();
    }
    if (value instanceof List<?> list && list.isEmpty()) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw unexpected(method, "a map of names to values", value);
    }
    Map<String, List<String>> result = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String name = String.valueOf(entry.getKey());
      result.put(name, Collections.unmodifiableList(stringList(method, entry.getValue())));
    }
    return Collections.unmodifiableMap(result);
  }

  private static List<String> stringList(String method, Object value) {
    List<String> values = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object element : list) {
        if (element instanceof Boolean) {
          continue; // a query flag mixed with values, as in "?a&a=1"
        }
        values.add(optionalString(method, element).orElse(""));
      }
    } else if (!(value instanceof Boolean)) {
      values.add(optionalString(method, value).orElse(""));
    }
    return values;
  }

  /** The error for an answer of the wrong shape, naming the function and what came back. */
  public static PdkException unexpected(String method, String expected, Object value) {
    return new PdkException(
        method, "expected " + expected + " from Kong but got " + describe(value));
  }

  private static String describe(Object value) {
    if (value == null) {
      return "nothing";
    }
    String text = value instanceof byte[] b ? b.length + " bytes" : String.valueOf(value);
    if (text.length() > 80) {
      text = text.substring(0, 80) + "...";
    }
    return value.getClass().getSimpleName() + " " + text;
  }
}
