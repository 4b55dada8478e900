package dev.kongpdk.bridge.internal.rpc;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageIntegerOverflowException;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * Reads and writes the plain Java values of the bridge as MessagePack, the way Kong's
 * lua-MessagePack writes and reads them.
 *
 * <p>Reading: nil, booleans, integers of any width ({@link Long}; an unsigned 64-bit value above
 * {@code Long.MAX_VALUE} becomes a {@link Double}), floats ({@link Double}), str ({@link String},
 * or {@code byte[]} when the bytes are not UTF-8, as Kong 2.8 sends raw bodies), bin ({@code
 * byte[]}), arrays ({@link List}) and maps ({@link Map} with {@link String} keys; other keys are
 * turned into their text, as Kong's integer-keyed tables are). Sizes and nesting are limited, so a
 * hostile or corrupt message fails fast with {@link MalformedMessageException} instead of
 * exhausting memory.
 */
public final class MsgpackCodec {

  private final Limits limits;

  /** Bounds on what one message may contain. */
  public record Limits(int maxDepth, int maxElements, int maxBytes) {
    /** Generous for Kong's traffic: 64 levels, 1M elements per container, 64 MiB per message. */
    public static final Limits DEFAULT = new Limits(64, 1 << 20, 64 << 20);
  }

  public MsgpackCodec(Limits limits) {
    this.limits = limits;
  }

  /**
   * Reads one value.
   *
   * @throws MalformedMessageException when the bytes are not MessagePack the bridge accepts
   * @throws IOException when the stream fails or ends inside the value
   */
  public Object read(MessageUnpacker in) throws IOException {
    return read(in, null);
  }

  /** Reads one value, taking short strings from {@code strings} when it has them (may be null). */
  Object read(MessageUnpacker in, StringCache strings) throws IOException {
    long start = in.getTotalReadBytes();
    return read(in, 0, start, strings);
  }

  private Object read(MessageUnpacker in, int depth, long start, StringCache strings)
      throws IOException {
    if (depth > limits.maxDepth()) {
      throw new MalformedMessageException("nested deeper than " + limits.maxDepth() + " levels");
    }
    if (in.getTotalReadBytes() - start > limits.maxBytes()) {
      throw new MalformedMessageException("message larger than " + limits.maxBytes() + " bytes");
    }
    MessageFormat format = in.getNextFormat();
    switch (format.getValueType()) {
      case NIL -> {
        in.unpackNil();
        return null;
      }
      case BOOLEAN -> {
        return in.unpackBoolean();
      }
      case INTEGER -> {
        try {
          return in.unpackLong();
        } catch (MessageIntegerOverflowException e) {
          return e.getBigInteger().doubleValue(); // an unsigned 64-bit value above Long.MAX_VALUE
        }
      }
      case FLOAT -> {
        return in.unpackDouble();
      }
      case STRING -> {
        int length = in.unpackRawStringHeader();
        if (strings != null && length >= 0 && length <= StringCache.MAX_LENGTH) {
          return strings.read(in, length);
        }
        return text(payload(in, length));
      }
      case BINARY -> {
        return payload(in, in.unpackBinaryHeader());
      }
      case ARRAY -> {
        int size = count(in.unpackArrayHeader());
        List<Object> list = new ArrayList<>(Math.min(size, 1024));
        for (int i = 0; i < size; i++) {
          list.add(read(in, depth + 1, start, strings));
        }
        return list;
      }
      case MAP -> {
        int size = count(in.unpackMapHeader());
        Map<String, Object> map = new LinkedHashMap<>(Math.min(size, 1024) * 2);
        for (int i = 0; i < size; i++) {
          Object key = read(in, depth + 1, start, strings);
          Object value = read(in, depth + 1, start, strings);
          map.put(key instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(key), value);
        }
        return map;
      }
      default -> throw new MalformedMessageException("unsupported MessagePack type " + format);
    }
  }

  private int count(int size) throws MalformedMessageException {
    if (size < 0 || size > limits.maxElements()) {
      throw new MalformedMessageException(
          "container of " + Integer.toUnsignedString(size) + " elements (limit " + limits.maxElements() + ")");
    }
    return size;
  }

  private byte[] payload(MessageUnpacker in, int length) throws IOException {
    if (length < 0 || length > limits.maxBytes()) {
      throw new MalformedMessageException(
          "string of " + Integer.toUnsignedString(length) + " bytes (limit " + limits.maxBytes() + ")");
    }
    return in.readPayload(length);
  }

  static Object text(byte[] bytes) {
    boolean ascii = true;
    for (byte b : bytes) {
      if (b < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return bytes; // Kong 2.8 sends raw bodies as str: keep the bytes.
    }
  }

  /**
   * Writes one value.
   *
   * @throws IllegalArgumentException when the value (or an element) is not a bridge value
   */
  public void write(MessagePacker out, Object value) throws IOException {
    switch (value) {
      case null -> out.packNil();
      case String s -> out.packString(s);
      case Boolean b -> out.packBoolean(b);
      case Long l -> out.packLong(l);
      case Integer i -> out.packInt(i);
      case Short s -> out.packShort(s);
      case Byte b -> out.packByte(b);
      case Double d -> out.packDouble(d);
      case Float f -> out.packFloat(f);
      case BigInteger big -> out.packBigInteger(big);
      case BigDecimal dec -> out.packDouble(dec.doubleValue());
      case Character c -> out.packString(c.toString());
      case byte[] bytes -> {
        out.packBinaryHeader(bytes.length);
        out.writePayload(bytes);
      }
      case Map<?, ?> map -> {
        out.packMapHeader(map.size());
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          out.packString(String.valueOf(entry.getKey()));
          write(out, entry.getValue());
        }
      }
      case Collection<?> list -> {
        out.packArrayHeader(list.size());
        for (Object element : list) {
          write(out, element);
        }
      }
      case Object[] array -> {
        out.packArrayHeader(array.length);
        for (Object element : array) {
          write(out, element);
        }
      }
      default -> throw new IllegalArgumentException(
          "cannot send a " + value.getClass().getName() + " to Kong; use null, Boolean, a number,"
              + " String, byte[], List or Map");
    }
  }

  /**
   * Checks that {@code value} can be written, so that a plugin's bad argument fails in the plugin's
   * thread with a clear message instead of on the connection.
   *
   * @throws IllegalArgumentException naming the first unsupported element
   */
  public static void checkWritable(Object value) {
    switch (value) {
      case null -> {}
      case String s -> {}
      case Boolean b -> {}
      case Number n -> {
        if (!(n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
            || n instanceof Double || n instanceof Float || n instanceof BigInteger
            || n instanceof BigDecimal)) {
          throw new IllegalArgumentException("cannot send a " + n.getClass().getName() + " to Kong");
        }
      }
      case Character c -> {}
      case byte[] bytes -> {}
      case Map<?, ?> map -> map.forEach((k, v) -> checkWritable(v));
      case Collection<?> list -> list.forEach(MsgpackCodec::checkWritable);
      case Object[] array -> {
        for (Object element : array) {
          checkWritable(element);
        }
      }
      default -> throw new IllegalArgumentException(
          "cannot send a " + value.getClass().getName() + " to Kong; use null, Boolean, a number,"
              + " String, byte[], List or Map");
    }
  }
}
