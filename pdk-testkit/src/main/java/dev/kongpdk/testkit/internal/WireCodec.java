package dev.kongpdk.testkit.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ArrayValue;
import org.msgpack.value.MapValue;
import org.msgpack.value.Value;

/**
 * MessagePack as Kong's lua-MessagePack writes it, for the Kong-side client: strings as fixstr,
 * str16 or str32 (never str8), byte arrays as bin, integers in the smallest form, other numbers as
 * float64. Written apart from the plugin server's codec so that a codec bug is not mirrored on
 * both ends of a socket test.
 */
public final class WireCodec {

  private WireCodec() {}

  /**
   * Encodes one value.
   *
   * @param value a plain value (null, Boolean, Long/Integer, Double, String, byte[], List, Map)
   * @return the bytes
   */
  public static byte[] encode(Object value) {
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      pack(packer, value);
      return packer.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("in-memory packing failed", e);
    }
  }

  /**
   * Decodes one complete value from the start of {@code bytes}.
   *
   * @param bytes the buffer
   * @param length how many bytes of it are filled
   * @return the value and how many bytes it used, or empty when the bytes end before the value
   * @throws IOException when the bytes are not MessagePack
   */
  public static Optional<Decoded> decode(byte[] bytes, int length) throws IOException {
    try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes, 0, length)) {
      if (!unpacker.hasNext()) {
        return Optional.empty();
      }
      Value value = unpacker.unpackValue();
      return Optional.of(new Decoded(toJava(value), (int) unpacker.getTotalReadBytes()));
    } catch (MessageInsufficientBufferException e) {
      return Optional.empty();
    }
  }

  /**
   * A decoded value.
   *
   * @param value the plain value
   * @param length the bytes it took
   */
  public record Decoded(Object value, int length) {}

  /**
   * Converts a msgpack value into plain Java: nil to null, ints to Long, floats to Double, str to
   * String, bin to byte[], arrays to List, maps to Map with keys as strings.
   *
   * @param value the value
   * @return the plain value
   */
  public static Object toJava(Value value) {
    switch (value.getValueType()) {
      case NIL:
        return null;
      case BOOLEAN:
        return value.asBooleanValue().getBoolean();
      case INTEGER:
        return value.asIntegerValue().toLong();
      case FLOAT:
        return value.asFloatValue().toDouble();
      case STRING:
        return value.asStringValue().asString();
      case BINARY:
        return value.asBinaryValue().asByteArray();
      case ARRAY: {
        ArrayValue array = value.asArrayValue();
        List<Object> list = new ArrayList<>(array.size());
        for (Value element : array) {
          list.add(toJava(element));
        }
        return list;
      }
      case MAP: {
        MapValue map = value.asMapValue();
        Map<String, Object> result = new LinkedHashMap<>();
        for (Map.Entry<Value, Value> e : map.entrySet()) {
          Object key = toJava(e.getKey());
          result.put(key instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(key), toJava(e.getValue()));
        }
        return result;
      }
      default:
        throw new IllegalArgumentException("unsupported msgpack type " + value.getValueType());
    }
  }

  private static void pack(MessageBufferPacker p, Object value) throws IOException {
    if (value == null) {
      p.packNil();
    } else if (value instanceof Boolean b) {
      p.packBoolean(b);
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      p.packLong(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      p.packDouble(((Number) value).doubleValue());
    } else if (value instanceof String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      if (utf8.length < 32) {
        p.writePayload(new byte[] {(byte) (0xa0 | utf8.length)});
      } else if (utf8.length < 65536) {
        p.writePayload(new byte[] {(byte) 0xda, (byte) (utf8.length >>> 8), (byte) utf8.length});
      } else {
        p.writePayload(new byte[] {(byte) 0xdb, (byte) (utf8.length >>> 24), (byte) (utf8.length >>> 16),
            (byte) (utf8.length >>> 8), (byte) utf8.length});
      }
      p.writePayload(utf8);
    } else if (value instanceof byte[] bytes) {
      p.packBinaryHeader(bytes.length);
      p.writePayload(bytes);
    } else if (value instanceof List<?> list) {
      p.packArrayHeader(list.size());
      for (Object element : list) {
        pack(p, element);
      }
    } else if (value instanceof Map<?, ?> map) {
      p.packMapHeader(map.size());
      for (Map.Entry<?, ?> e : map.entrySet()) {
        pack(p, String.valueOf(e.getKey()));
        pack(p, e.getValue());
      }
    } else {
      throw new IllegalArgumentException("cannot send a " + value.getClass().getName() + " over MessagePack");
    }
  }
}
