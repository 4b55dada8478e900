package dev.kongpdk.conformance;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Turns what a typed method returned into plain JSON-like values, the form in which it is compared
 * with what Kong's Lua returned: absent values become {@code null}, entity records their
 * {@code fields()} (everything Kong sent) or their components under Kong's snake_case names, and
 * bytes {@code {"$bytes": base64}}.
 */
public final class Canonical {

  private Canonical() {}

  /** Returns the canonical form of {@code value}. */
  public static Object of(Object value) {
    return switch (value) {
      case null -> null;
      case Optional<?> o -> of(o.orElse(null));
      case OptionalInt o -> o.isPresent() ? (Object) (long) o.getAsInt() : null;
      case OptionalLong o -> o.isPresent() ? (Object) o.getAsLong() : null;
      case OptionalDouble o -> o.isPresent() ? (Object) o.getAsDouble() : null;
      case byte[] bytes -> bytes(bytes);
      case Integer i -> (long) i;
      case Map<?, ?> map -> {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), of(v)));
        yield out;
      }
      case List<?> list -> {
        List<Object> out = new ArrayList<>();
        list.forEach(v -> out.add(of(v)));
        yield out;
      }
      case Enum<?> e -> e.name();
      case Record r -> record(r);
      default -> value;
    };
  }

  /** The canonical form of bytes. */
  public static Map<String, Object> bytes(byte[] bytes) {
    return Map.of("$bytes", Base64.getEncoder().encodeToString(bytes));
  }

  private static Object record(Record r) {
    RecordComponent[] components = r.getClass().getRecordComponents();
    for (RecordComponent c : components) {
      if (c.getName().equals("fields") && Map.class.isAssignableFrom(c.getType())) {
        return of(read(c, r));
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (RecordComponent c : components) {
      out.put(snake(c.getName()), of(read(c, r)));
    }
    return out;
  }

  private static Object read(RecordComponent c, Record r) {
    try {
      return c.getAccessor().invoke(r);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + c, e);
    }
  }

  static String snake(String camel) {
    StringBuilder out = new StringBuilder();
    for (char ch : camel.toCharArray()) {
      if (Character.isUpperCase(ch)) {
        out.append('_').append(Character.toLowerCase(ch));
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }
}
