package dev.kongpdk.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP headers as Kong sees them: names are case-insensitive and kept lower-case, each name has
 * one or more values in the order they were sent, and names keep their first-seen order.
 *
 * <p>Instances are immutable; the {@code with...} methods return changed copies.
 */
public final class Headers {

  private static final Headers EMPTY = new Headers(Map.of());

  private final Map<String, List<String>> values;

  private Headers(Map<String, List<String>> values) {
    this.values = values;
  }

  /** Returns headers with no entries. */
  public static Headers empty() {
    return EMPTY;
  }

  /**
   * Returns headers holding {@code map}; names are lower-cased, values kept in order.
   *
   * @param map header names mapped to their values
   * @return the headers
   */
  public static Headers of(Map<String, ? extends List<String>> map) {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    map.forEach((name, list) -> {
      for (String value : list) {
        append(copy, name, value);
      }
    });
    return freeze(copy);
  }

  /**
   * Returns a copy with {@code value} added after the existing values of {@code name}.
   *
   * @param name the header name, any case
   * @param value the value
   * @return the changed copy
   */
  public Headers with(String name, String value) {
    Map<String, List<String>> copy = mutableCopy();
    append(copy, name, value);
    return freeze(copy);
  }

  /**
   * Returns a copy where {@code name} has exactly {@code newValues}; an empty list removes it.
   *
   * @param name the header name, any case
   * @param newValues the values
   * @return the changed copy
   */
  public Headers replacing(String name, List<String> newValues) {
    Map<String, List<String>> copy = mutableCopy();
    String key = normalize(name);
    copy.remove(key);
    for (String value : newValues) {
      append(copy, key, value);
    }
    return freeze(copy);
  }

  /**
   * Returns a copy without {@code name}.
   *
   * @param name the header name, any case
   * @return the changed copy
   */
  public Headers without(String name) {
    return replacing(name, List.of());
  }

  /**
   * Returns the first value of {@code name}, matched case-insensitively.
   *
   * @param name the header name, any case
   * @return the first value, or empty when the header is absent
   */
  public Optional<String> first(String name) {
    List<String> list = values.get(normalize(name));
    return list == null ? Optional.empty() : Optional.of(list.get(0));
  }

  /**
   * Returns every value of {@code name} in order, matched case-insensitively.
   *
   * @param name the header name, any case
   * @return the values; empty when the header is absent
   */
  public List<String> all(String name) {
    return values.getOrDefault(normalize(name), List.of());
  }

  /**
   * Returns whether {@code name} is present.
   *
   * @param name the header name, any case
   * @return true when at least one value is present
   */
  public boolean contains(String name) {
    return values.containsKey(normalize(name));
  }

  /** Returns the lower-case names mapped to their values, in first-seen order; unmodifiable. */
  public Map<String, List<String>> asMap() {
    return values;
  }

  /** Returns whether there are no headers. */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Headers h && h.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return values.toString();
  }

  /** Lower-cases a header name; Kong treats {@code _} and {@code -} alike only in get_header. */
  static String normalize(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("header name must not be empty");
    }
    return name.toLowerCase(Locale.ROOT);
  }

  private Map<String, List<String>> mutableCopy() {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    values.forEach((name, list) -> copy.put(name, new ArrayList<>(list)));
    return copy;
  }

  private static void append(Map<String, List<String>> map, String name, String value) {
    if (value == null) {
      throw new IllegalArgumentException("header '" + name + "' must not have a null value");
    }
    map.computeIfAbsent(normalize(name), n -> new ArrayList<>()).add(value);
  }

  private static Headers freeze(Map<String, List<String>> map) {
    Map<String, List<String>> frozen = new LinkedHashMap<>();
    map.forEach((name, list) -> frozen.put(name, List.copyOf(list)));
    return new Headers(Collections.unmodifiableMap(frozen));
  }
}
