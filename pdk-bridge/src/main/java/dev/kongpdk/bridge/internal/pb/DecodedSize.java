package dev.kongpdk.bridge.internal.pb;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;

/**
 * Estimates the heap a ProtoBuf message takes once parsed, from its bytes and its type, without
 * parsing it: what the memory budget is charged for a frame before {@code parseFrom} runs.
 *
 * <p>Parsed objects can be many times the size of their bytes: a field of three or four bytes
 * becomes a boxed value and a list slot (an unknown one too: protobuf keeps unknown fields), an
 * empty group becomes a whole field set, a map entry or a {@code Value} becomes a message. A
 * 16 MiB frame of unknown varint fields parses to more than the launcher's 128 MiB heap. So the
 * bytes are walked with the type's shape ({@link ProtoSchema}): each field is counted at {@link
 * #PER_FIELD}, each message at {@link #PER_MESSAGE}, bytes at their length and strings at three
 * times it (plus {@link #PER_FIELD}), packed scalars at 8 bytes each. The figures are generous, so
 * the estimate stays above what protobuf-java allocates.
 */
final class DecodedSize {

  /** A parsed message: its object, with its header, fields and cached sizes. */
  static final long PER_MESSAGE = 64;

  /** A field: its boxed value or {@code ByteString} header and its slot in a list or map. */
  static final long PER_FIELD = 40;

  /** The nesting protobuf-java's parser accepts, its default recursion limit. */
  private static final int MAX_DEPTH = 100;

  private DecodedSize() {}

  /**
   * Returns the estimated heap of {@code bytes} parsed as {@code type} ({@code null}: a message
   * whose fields are all unknown).
   *
   * @throws InvalidProtocolBufferException when the bytes are not well-formed ProtoBuf, or nest
   *     deeper than the parser accepts: parsing would fail the same way
   */
  static long of(byte[] bytes, ProtoSchema.Type type) throws InvalidProtocolBufferException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    long size = PER_MESSAGE + message(in, type, 0);
    in.checkLastTagWas(0);
    return size;
  }

  /** Counts fields until the end of the current limit, or the end of a group (tag returned). */
  private static long message(CodedInputStream in, ProtoSchema.Type type, int depth)
      throws InvalidProtocolBufferException {
    if (depth > MAX_DEPTH) {
      throw new InvalidProtocolBufferException("ProtoBuf message nested more than " + MAX_DEPTH
          + " levels deep");
    }
    long size = 0;
    try {
      while (true) {
        int tag = in.readTag();
        if (tag == 0 || WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_END_GROUP) {
          return size;
        }
        ProtoSchema.Field field = type == null
            ? null : type.field(WireFormat.getTagFieldNumber(tag));
        size += PER_FIELD + field(in, tag, field, depth);
      }
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
  }

  /** Reads the value of a field whose tag has been read; returns what it adds past its slot. */
  private static long field(CodedInputStream in, int tag, ProtoSchema.Field field, int depth)
      throws IOException {
    switch (WireFormat.getTagWireType(tag)) {
      case WireFormat.WIRETYPE_VARINT -> {
        in.readRawVarint64();
        return 0;
      }
      case WireFormat.WIRETYPE_FIXED64 -> {
        in.skipRawBytes(8);
        return 0;
      }
      case WireFormat.WIRETYPE_FIXED32 -> {
        in.skipRawBytes(4);
        return 0;
      }
      case WireFormat.WIRETYPE_START_GROUP -> {
        long size = PER_MESSAGE + message(in, null, depth + 1);
        // the group's end tag: the same field number, wire type 4
        in.checkLastTagWas((tag & ~7) | WireFormat.WIRETYPE_END_GROUP);
        return size;
      }
      case WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
        int length = in.readRawVarint32();
        if (length < 0) {
          throw new InvalidProtocolBufferException("a field with a negative length");
        }
        if (field != null && field.kind() == ProtoSchema.Kind.MESSAGE) {
          int limit = in.pushLimit(length);
          long size = PER_MESSAGE + message(in, field.type(), depth + 1);
          in.checkLastTagWas(0);
          in.popLimit(limit);
          return size;
        }
        in.skipRawBytes(length);
        if (field != null && field.packable()) {
          return 8L * length; // each scalar is a byte or more on the wire, at most 8 in its list
        }
        if (field != null && field.kind() == ProtoSchema.Kind.STRING) {
          return 3L * length; // its bytes, then the String made from them (UTF-16 at worst)
        }
        return length;
      }
      default -> throw new InvalidProtocolBufferException("a field of unknown wire type " + tag % 8);
    }
  }
}
