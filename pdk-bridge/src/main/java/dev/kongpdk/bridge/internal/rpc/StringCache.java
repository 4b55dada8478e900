package dev.kongpdk.bridge.internal.rpc;

import java.io.IOException;
import java.util.Arrays;
import org.msgpack.core.MessageUnpacker;

/**
 * The short strings one connection has decoded recently, so the map keys, method names and
 * phase names Kong sends in every message are not decoded and allocated again each time. One
 * per connection (it is read by one thread at a time); a small direct-mapped table where a
 * newer string simply replaces an older one in its slot.
 */
final class StringCache {

  /** Longer strings are decoded as they come. */
  static final int MAX_LENGTH = 32;
  private static final int SLOTS = 64;

  private final byte[] scratch = new byte[MAX_LENGTH];
  private final byte[][] bytes = new byte[SLOTS][];
  private final String[] strings = new String[SLOTS];

  /**
   * Reads a string payload of {@code length} bytes (at most {@link #MAX_LENGTH}) and returns it
   * as {@code decode} would: text, or the bytes when they are not UTF-8.
   */
  Object read(MessageUnpacker in, int length) throws IOException {
    in.readPayload(scratch, 0, length);
    int slot = hash(length) & (SLOTS - 1);
    byte[] known = bytes[slot];
    if (known != null && Arrays.equals(known, 0, known.length, scratch, 0, length)) {
      return strings[slot];
    }
    byte[] copy = Arrays.copyOf(scratch, length);
    Object value = MsgpackCodec.text(copy);
    if (value instanceof String text) {
      bytes[slot] = copy;
      strings[slot] = text;
    }
    return value;
  }

  private int hash(int length) {
    int h = length;
    for (int i = 0; i < length; i++) {
      h = 31 * h + scratch[i];
    }
    return h ^ (h >>> 16);
  }
}
