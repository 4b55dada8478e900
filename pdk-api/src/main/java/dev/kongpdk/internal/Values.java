package dev.kongpdk.internal;

import dev.kongpdk.PdkException;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Decodes the plain values Kong answers with into the types the typed API returns, and prepares
 * Java values for sending. Kong packs integers in the smallest width (any integral Java number is
 * accepted), an empty Lua table as an empty array (accepted where a map is expected), and in 2.8
 * raw bodies as strings (accepted where bytes are expected).
 */
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

  /** A string result Kong always gives when the call succeeds. */
  public static String requiredString(String method, Object value) {
    return optionalString(method, value).orElseThrow(() -> nothing(method, "a string"));
  }

  /** An integral result; an integral float is accepted, a fraction is rounded to the nearest. */
  public static OptionalLong optionalLong(String method, Object value) {
    if (value == null) {
      return OptionalLong.empty();
    }
    if (value instanceof Double || value instanceof Float) {
      return OptionalLong.of(Math.round(((Number) value).doubleValue()));
    }
    if (value instanceof BigInteger big && big.bitLength() > 63) {
      throw unexpected(method, "a number that fits 64 bits", value);
    }
    if (value instanceof Number n) {
      return OptionalLong.of(n.longValue());
    }
    throw unexpected(method, "a number", value);
  }

  /** An integral result Kong always gives when the call succeeds. */
  public static long requiredLong(String method, Object value) {
    return optionalLong(method, value).orElseThrow(() -> nothing(method, "a number"));
  }

  /** An integral result that fits an {@code int} (ports, statuses). */
  public static int requiredInt(String method, Object value) {
    return toInt(method, requiredLong(method, value));
  }

  /** Narrows to {@code int}, failing on values outside its range. */
  public static int toInt(String method, long value) {
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw unexpected(method, "a 32-bit number", value);
    }
    return (int) value;
  }

  /** A number result, integral or not. */
  public static OptionalDouble optionalDouble(String method, Object value) {
    if (value == null) {
      return OptionalDouble.empty();
    }
    if (value instanceof Number n) {
      return OptionalDouble.of(n.doubleValue());
    }
    throw unexpected(method, "a number", value);
  }

  /** A number result Kong always gives when the call succeeds. */
  public static double requiredDouble(String method, Object value) {
    return optionalDouble(method, value).orElseThrow(() -> nothing(method, "a number"));
  }

  /** A boolean result. */
  public static Optional<Boolean> optionalBoolean(String method, Object value) {
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Boolean b) {
      return Optional.of(b);
    }
    throw unexpected(method, "a boolean", value);
  }

  /** A boolean result Kong always gives when the call succeeds. */
  public static boolean requiredBoolean(String method, Object value) {
    return optionalBoolean(method, value).orElseThrow(() -> nothing(method, "a boolean"));
  }

  /**
   * The result of a Lua function that returns {@code true} on success and {@code nil, err} on
   * failure. Kong 2.8 reports the failure itself (the bridge throws); Kong 3.x drops {@code err}
   * and answers nothing, which is reported here.
   */
  public static void requireTrue(String method, Object value) {
    if (!Boolean.TRUE.equals(value)) {
      throw new PdkException(
          method,
          value == null
              ? "Kong reported a failure without a reason (Kong 3.x does not pass on the error message)"
              : "expected true from Kong but got " + describe(value));
    }
  }

  /** A body: bytes as Kong 3.x sends them (bin), or a string as Kong 2.8 does. */
  public static Optional<byte[]> optionalBytes(String method, Object value) {
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof byte[] bytes) {
      return Optional.of(bytes.clone());
    }
    if (value instanceof String s) {
      return Optional.of(s.getBytes(StandardCharsets.UTF_8));
    }
    throw unexpected(method, "a body", value);
  }

  /**
   * A header or query multimap as Kong's {@code StepMultiMap} carries it: names mapped to arrays of
   * strings, where an empty array stands for a query flag without value. Kong packs an empty table
   * as an empty array, so an empty list is read as an empty map. The result is case-insensitive on
   * names.
   */
  public static Map<String, List<String>> multiMap(String method, Object value) {
    Map<String, List<String>> result = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, Object> entry : map(method, value).entrySet()) {
      result.put(entry.getKey(), stringList(method, entry.getValue()));
    }
    return Collections.unmodifiableMap(result);
  }

  /**
   * The values of one multimap entry. A single value becomes a one-element list; {@code true} (a
   * query flag without value) contributes no element, so {@code ?flag} reads as an empty list.
   */
  public static List<String> stringList(String method, Object value) {
    List<String> values = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object element : list) {
        if (element instanceof Boolean) {
          continue; // a query flag mixed with values, as in "?a&a=1"
        }
        values.add(optionalString(method, element).orElse(""));
      }
    } else if (value != null && !(value instanceof Boolean)) {
      values.add(optionalString(method, value).orElse(""));
    }
    return Collections.unmodifiableList(values);
  }

  /**
   * A Lua table read as a map: {@code null} and the empty array (Kong's packing of an empty table)
   * read as an empty map; keys of any type are turned into strings; entries with a {@code nil} value
   * are left out, as Lua has no such entries. Nested values are left as Kong sent them.
   */
  public static Map<String, Object> map(String method, Object value) {
    if (value == null || value instanceof List<?> list && list.isEmpty()) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw unexpected(method, "a table", value);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (entry.getKey() != null && entry.getValue() != null) {
        result.put(String.valueOf(entry.getKey()), plain(entry.getValue()));
      }
    }
    return Collections.unmodifiableMap(result);
  }

  /**
   * A value as Kong sent it, made unmodifiable all the way down: nested tables are read with
   * {@link #map} rules when they are maps (no {@code nil} entries, string keys); arrays keep their
   * elements in place, so a {@code nil} inside a Lua array stays a {@code null} element.
   */
  public static Object plain(Object value) {
    if (value instanceof Map<?, ?> map) {
      return map("", map);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (Object element : list) {
        copy.add(plain(element));
      }
      return Collections.unmodifiableList(copy);
    }
    if (value instanceof byte[] bytes) {
      return bytes.clone();
    }
    return value;
  }

  /** A Lua array read as a list; {@code null} reads as an empty list. */
  public static List<Object> list(String method, Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> list) {
      return Collections.unmodifiableList(new ArrayList<>(list));
    }
    if (value instanceof Map<?, ?> map && map.isEmpty()) {
      return List.of();
    }
    throw unexpected(method, "an array", value);
  }

  /**
   * Converts a Java value into the plain values the bridge carries: integral numbers become
   * {@code Long}, other numbers {@code Double}, collections and arrays lists, maps maps with string
   * keys, {@code byte[]} stays bytes.
   *
   * @throws IllegalArgumentException for a value that has no Lua counterpart
   */
  public static Object toLua(String what, Object value) {
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Long
        || value instanceof Double
        || value instanceof byte[]) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    if (value instanceof Character c) {
      return c.toString();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> table = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (entry.getKey() == null) {
          throw new IllegalArgumentException(what + " has a null key; Lua tables cannot hold one");
        }
        table.put(String.valueOf(entry.getKey()), toLua(what, entry.getValue()));
      }
      return table;
    }
    if (value instanceof Collection<?> collection) {
      List<Object> array = new ArrayList<>(collection.size());
      for (Object element : collection) {
        array.add(toLua(what, element));
      }
      return array;
    }
    if (value.getClass().isArray()) {
      int length = Array.getLength(value);
      List<Object> array = new ArrayList<>(length);
      for (int i = 0; i < length; i++) {
        array.add(toLua(what, Array.get(value, i)));
      }
      return array;
    }
    throw new IllegalArgumentException(
        what + " cannot be sent to Kong: " + value.getClass().getName()
            + " is not a string, number, boolean, byte[], list or map");
  }

  /** Header values as Kong's setters take them: one string, or an array for several values. */
  public static Map<String, Object> headerTable(String what, Map<String, ? extends List<String>> headers) {
    requireNonNull(what, headers);
    Map<String, Object> table = new LinkedHashMap<>();
    headers.forEach(
        (name, values) -> {
          if (name == null || values == null) {
            throw new IllegalArgumentException(what + " has a null name or value list");
          }
          table.put(name, values.size() == 1 ? values.get(0) : List.copyOf(values));
        });
    return table;
  }

  /**
   * Query arguments as {@code kong.service.request.set_query} takes them: an empty list (a flag
   * without value, as {@code getQuery()} reports it) becomes {@code true}.
   */
  public static Map<String, Object> queryTable(String what, Map<String, ? extends List<String>> args) {
    requireNonNull(what, args);
    Map<String, Object> table = new LinkedHashMap<>();
    args.forEach(
        (name, values) -> {
          if (name == null || values == null) {
            throw new IllegalArgumentException(what + " has a null name or value list");
          }
          table.put(name, values.isEmpty() ? Boolean.TRUE : values.size() == 1 ? values.get(0) : List.copyOf(values));
        });
    return table;
  }

  /** Rejects a null argument with a message naming it. */
  public static <T> T requireNonNull(String what, T value) {
    if (value == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
    return value;
  }

  /** The error for an answer of the wrong shape, naming the function and what came back. */
  public static PdkException unexpected(String method, String expected, Object value) {
    return new PdkException(
        method, "expected " + expected + " from Kong but got " + describe(value));
  }

  /** The error for a function that always returns a value when it succeeds but returned nothing. */
  public static PdkException nothing(String method, String expected) {
    return new PdkException(
        method,
        "expected " + expected + " from Kong but got nothing (the call failed, or this Kong"
            + " version does not have the function)");
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
