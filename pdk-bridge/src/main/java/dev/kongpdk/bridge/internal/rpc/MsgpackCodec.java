package dev.kongpdk.bridge.internal.rpc;

import dev.kongpdk.bridge.internal.limits.MemoryBudget;
import dev.kongpdk.bridge.internal.limits.OverLimitException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
 * turned into their text, as Kong's integer-keyed tables are). Nesting and container sizes are
 * limited ({@link MalformedMessageException}); so are the whole message's wire size, the estimated
 * heap of its decoded objects and, across connections, a shared {@link MemoryBudget}
 * ({@link OverLimitException}), so a hostile or corrupt message fails fast instead of exhausting
 * memory.
 */
public final class MsgpackCodec {

  /** Payloads longer than this are read in chunks of this size, into a buffer that grows. */
  private static final int CHUNK = 64 * 1024;
  /**
   * The least a message reserves from the shared budget at a time: small enough that thousands
   * of connections each holding the start of a message hold little of it, large enough that a
   * typical request reserves once.
   */
  private static final int RESERVE_STEP = 1024;

  private final Limits limits;
  private final MemoryBudget budget;

  /**
   * Bounds on what one message may contain.
   *
   * @param maxDepth nesting of arrays and maps
   * @param maxElements elements of one array or map
   * @param maxBytes wire bytes of the whole message
   * @param maxDecodedBytes the estimated heap of the whole decoded message
   */
  public record Limits(int maxDepth, int maxElements, int maxBytes, long maxDecodedBytes) {
    /** Generous for Kong's traffic: 64 levels, 1M elements per container, 64 MiB per message. */
    public static final Limits DEFAULT = new Limits(64, 1 << 20, 64 << 20);

    /** Limits whose decoded size is bounded only by the wire size (an estimate of 8 times it). */
    public Limits(int maxDepth, int maxElements, int maxBytes) {
      this(maxDepth, maxElements, maxBytes, 8L * maxBytes);
    }
  }

  /** A codec whose messages are bounded by {@code limits} only, not by a shared budget. */
  public MsgpackCodec(Limits limits) {
    this(limits, new MemoryBudget(Long.MAX_VALUE));
  }

  /** A codec whose messages are bounded by {@code limits} and, together, by {@code budget}. */
  public MsgpackCodec(Limits limits, MemoryBudget budget) {
    this.limits = limits;
    this.budget = budget;
  }

  /**
   * What the message being read has cost so far: its start on the wire, its estimated decoded
   * size and what it has reserved from the shared budget. One per connection, read by one thread
   * at a time; {@link #release()} once the message has been handled.
   */
  public final class Reading {
    private long start;
    private long decoded;
    private long reserved;

    /** The message's first byte, in the unpacker's count of bytes read. */
    long start() {
      return start;
    }

    /** Gives the message's reservation back to the shared budget. */
    public void release() {
      if (reserved > 0) {
        budget.release(reserved);
        reserved = 0;
      }
      decoded = 0;
    }

    private void charge(long bytes) throws OverLimitException {
      decoded += bytes;
      if (decoded > limits.maxDecodedBytes()) {
        throw new OverLimitException(
            "message decodes to more than " + limits.maxDecodedBytes() + " bytes of objects");
      }
      if (decoded > reserved) {
        long more = Math.max(decoded - reserved, RESERVE_STEP);
        if (!budget.tryReserve(more)) {
          throw new OverLimitException("the messages of all connections would hold more than "
              + budget.capacity() + " bytes (" + budget.used() + " in use)");
        }
        reserved += more;
      }
    }
  }

  /** A fresh accounting for one connection's messages. */
  public Reading newReading() {
    return new Reading();
  }

  /**
   * Reads one value, giving back what it reserved once read.
   *
   * @throws MalformedMessageException when the bytes are not MessagePack the bridge accepts
   * @throws OverLimitException when the value breaks a size limit or does not fit the budget
   * @throws IOException when the stream fails or ends inside the value
   */
  public Object read(MessageUnpacker in) throws IOException {
    Reading reading = new Reading();
    try {
      return read(in, null, reading);
    } finally {
      reading.release();
    }
  }

  /**
   * Reads one value, taking short strings from {@code strings} when it has them (may be null),
   * accounted in {@code reading} (which keeps its reservation until released).
   */
  Object read(MessageUnpacker in, StringCache strings, Reading reading) throws IOException {
    reading.release();
    reading.start = in.getTotalReadBytes();
    try {
      return read(in, 0, reading, strings);
    } catch (IOException | RuntimeException e) {
      reading.release();
      throw e;
    }
  }

  private Object read(MessageUnpacker in, int depth, Reading reading, StringCache strings)
      throws IOException {
    if (depth > limits.maxDepth()) {
      throw new MalformedMessageException("nested deeper than " + limits.maxDepth() + " levels");
    }
    checkWire(in, reading, 0);
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
        reading.charge(16);
        try {
          return in.unpackLong();
        } catch (MessageIntegerOverflowException e) {
          return e.getBigInteger().doubleValue(); // an unsigned 64-bit value above Long.MAX_VALUE
        }
      }
      case FLOAT -> {
        reading.charge(16);
        return in.unpackDouble();
      }
      case STRING -> {
        int length = in.unpackRawStringHeader();
        if (strings != null && length >= 0 && length <= StringCache.MAX_LENGTH) {
          reading.charge(48 + length);
          return strings.read(in, length);
        }
        // the bytes, then a String of them (Latin-1, or UTF-16 where the bytes are shorter)
        byte[] bytes = payload(in, length, reading, 2L * length + 64);
        return text(bytes);
      }
      case BINARY -> {
        int length = in.unpackBinaryHeader();
        return payload(in, length, reading, length + 16L);
      }
      case ARRAY -> {
        int size = count(in.unpackArrayHeader());
        reading.charge(56);
        List<Object> list = new ArrayList<>(Math.min(size, 1024));
        for (int i = 0; i < size; i++) {
          reading.charge(8);
          list.add(read(in, depth + 1, reading, strings));
        }
        return list;
      }
      case MAP -> {
        int size = count(in.unpackMapHeader());
        reading.charge(72);
        Map<String, Object> map = new LinkedHashMap<>(Math.min(size, 1024) * 2);
        for (int i = 0; i < size; i++) {
          reading.charge(56); // the entry and its slot in the table
          Object key = read(in, depth + 1, reading, strings);
          Object value = read(in, depth + 1, reading, strings);
          map.put(key instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(key), value);
        }
        return map;
      }
      default -> throw new MalformedMessageException("unsupported MessagePack type " + format);
    }
  }

  /** Refuses the message when it has read, with {@code coming} more bytes, more than allowed. */
  private void checkWire(MessageUnpacker in, Reading reading, long coming)
      throws OverLimitException {
    long size = in.getTotalReadBytes() - reading.start + coming;
    if (size > limits.maxBytes()) {
      throw new OverLimitException("message of more than " + limits.maxBytes() + " bytes");
    }
  }

  private int count(int size) throws MalformedMessageException {
    if (size < 0 || size > limits.maxElements()) {
      throw new MalformedMessageException(
          "container of " + Integer.toUnsignedString(size) + " elements (limit " + limits.maxElements() + ")");
    }
    return size;
  }

  /**
   * Reads a payload of {@code length} bytes whose decoded value costs {@code cost}: refused at
   * once when the message cannot hold it, else read into a buffer that grows as the bytes arrive,
   * so a header alone never allocates more than what came with it.
   */
  private byte[] payload(MessageUnpacker in, int length, Reading reading, long cost)
      throws IOException {
    if (length < 0) {
      throw new OverLimitException("a value of " + Integer.toUnsignedString(length)
          + " bytes, in a message of at most " + limits.maxBytes());
    }
    checkWire(in, reading, length);
    reading.charge(cost);
    if (length <= CHUNK) {
      return in.readPayload(length);
    }
    byte[] buffer = new byte[CHUNK];
    int filled = 0;
    while (filled < length) {
      int n = Math.min(length - filled, CHUNK);
      if (filled + n > buffer.length) {
        buffer = Arrays.copyOf(buffer, (int) Math.min(length, 2L * buffer.length));
      }
      in.readPayload(buffer, filled, n);
      filled += n;
    }
    return buffer;
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
