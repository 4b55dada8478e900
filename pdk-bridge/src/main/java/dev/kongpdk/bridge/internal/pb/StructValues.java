package dev.kongpdk.bridge.internal.pb;

import com.google.protobuf.ByteString;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.ListValue;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.NullValue;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.Struct;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.Value;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between the plain Java values of the bridge and Kong's {@code Struct} / {@code Value} /
 * {@code ListValue} messages, the way Kong's {@code pb_rpc.lua} converts them to and from Lua.
 *
 * <p>Numbers come back as {@link Long} when they are integral (as MessagePack delivers Lua's
 * integral numbers) and as {@link Double} otherwise; text comes back as {@link String}.
 */
final class StructValues {

  /** Integral doubles up to this magnitude are exact, and delivered as {@link Long}. */
  private static final double EXACT_LONG = 9.007199254740992E15; // 2^53

  private StructValues() {}

  // ---- Java -> protobuf ---------------------------------------------------------------------

  /**
   * Encodes one plain value. Kong turns it back into Lua with {@code false} becoming {@code nil}
   * and a {@code null} becoming a placeholder, so plugins should not rely on either.
   *
   * @throws IllegalArgumentException for a value that is not a plain bridge value
   */
  static Value toValue(Object value) {
    Value.Builder builder = Value.newBuilder();
    switch (value) {
      case null -> builder.setNullValue(NullValue.NULL_VALUE);
      case Boolean b -> builder.setBoolValue(b);
      case Number n -> builder.setNumberValue(number(n));
      case CharSequence s -> builder.setStringValue(utf8(s.toString()));
      case byte[] bytes -> builder.setStringValue(ByteString.copyFrom(bytes));
      case List<?> list -> builder.setListValue(toList(list));
      case Map<?, ?> map -> builder.setStructValue(toStruct(map));
      default -> throw new IllegalArgumentException(
          "cannot send a " + value.getClass().getName() + " to Kong (plain values only: null,"
              + " Boolean, numbers, String, byte[], List, Map)");
    }
    return builder.build();
  }

  static ListValue toList(List<?> list) {
    ListValue.Builder builder = ListValue.newBuilder();
    for (Object element : list) {
      builder.addValues(toValue(element));
    }
    return builder.build();
  }

  static Struct toStruct(Map<?, ?> map) {
    Struct.Builder builder = Struct.newBuilder();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getKey() instanceof CharSequence key)) {
        throw new IllegalArgumentException(
            "map keys sent to Kong must be strings, got " + describe(entry.getKey()));
      }
      builder.addFields(Struct.Field.newBuilder()
          .setKey(utf8(key.toString()))
          .setValue(toValue(entry.getValue())));
    }
    return builder.build();
  }

  static ByteString utf8(String text) {
    return ByteString.copyFrom(text, StandardCharsets.UTF_8);
  }

  private static double number(Number n) {
    if (n instanceof Double || n instanceof Float
        || n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException("cannot send a " + n.getClass().getName() + " to Kong");
  }

  // ---- protobuf -> Java ---------------------------------------------------------------------

  /** Decodes one value as Kong's Lua value would reach a MessagePack plugin. */
  static Object fromValue(Value value) {
    return switch (value.getKindCase()) {
      case NULL_VALUE, KIND_NOT_SET -> null;
      case NUMBER_VALUE -> number(value.getNumberValue());
      case STRING_VALUE -> value.getStringValue().toStringUtf8();
      case BOOL_VALUE -> value.getBoolValue();
      case STRUCT_VALUE -> fromStruct(value.getStructValue());
      case LIST_VALUE -> fromList(value.getListValue());
    };
  }

  static List<Object> fromList(ListValue list) {
    List<Object> out = new ArrayList<>(list.getValuesCount());
    for (Value element : list.getValuesList()) {
      out.add(fromValue(element));
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * Decodes a struct into a map. Kong 2.8 encodes every Lua array as a struct keyed {@code "1"},
   * {@code "2"}, ... (fixed in 3.0); such a struct is read back as the list it stood for.
   */
  static Object fromStruct(Struct struct) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Struct.Field field : struct.getFieldsList()) {
      out.put(field.getKey().toStringUtf8(), fromValue(field.getValue()));
    }
    List<Object> array = asArray(out);
    return array != null ? array : Collections.unmodifiableMap(out);
  }

  private static List<Object> asArray(Map<String, Object> map) {
    if (map.isEmpty()) {
      return null;
    }
    List<Object> list = new ArrayList<>(map.size());
    for (int i = 1; i <= map.size(); i++) {
      String key = Integer.toString(i);
      if (!map.containsKey(key)) {
        return null;
      }
      list.add(map.get(key));
    }
    return Collections.unmodifiableList(list);
  }

  /**
   * Decodes a header or query struct into the shape of MessagePack's {@code StepMultiMap}: every
   * name maps to a list of strings; a query flag without value stays {@code true}.
   */
  static Map<String, Object> multiMap(Struct struct) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Struct.Field field : struct.getFieldsList()) {
      Object value = fromValue(field.getValue());
      Object shaped = switch (value) {
        case String s -> List.of(s);
        case Map<?, ?> m when m.isEmpty() -> List.of();
        case null -> List.of();
        default -> value;
      };
      out.put(field.getKey().toStringUtf8(), shaped);
    }
    return Collections.unmodifiableMap(out);
  }

  /** A Lua number as MessagePack delivers it: {@link Long} when integral, else {@link Double}. */
  static Object number(double value) {
    if (value == Math.rint(value) && Math.abs(value) <= EXACT_LONG) {
      return (long) value;
    }
    return value;
  }

  static String describe(Object value) {
    return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
  }
}
