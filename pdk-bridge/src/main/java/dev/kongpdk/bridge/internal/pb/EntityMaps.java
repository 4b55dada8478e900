package dev.kongpdk.bridge.internal.pb;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kong's entity messages ({@code Route}, {@code Service}, {@code Consumer}, ...) read into and
 * written from the maps of the Lua tables they stand for, walking the wire format with the
 * message's {@link ProtoSchema} shape. protobuf-java's reflection would do the same through its
 * descriptors, which cost a server several MiB to build.
 */
final class EntityMaps {

  /**
   * Turns a Lua value into what a field of this proto type holds: a {@code String} for
   * {@code string}, a {@code Long} for {@code int64}, an {@code Integer} for {@code int32}, a
   * {@code Boolean} for {@code bool}; throws {@link IllegalArgumentException} naming {@code name}
   * when the value cannot be one. Values of other types may be returned as given: {@link #write}
   * refuses every field type but those four.
   */
  interface Scalars {
    Object convert(ProtoSchema.Field field, Object value, String name);
  }

  private EntityMaps() {}

  /**
   * Reads an entity message as the map of the Lua table it came from, keys in the order the
   * .proto declares them: text fields and lists only when not empty (proto3 cannot tell an
   * absent field from an empty one), numbers and booleans always (integers as {@code Long}),
   * nested messages as maps when present. A singular field given twice keeps its last value.
   *
   * @throws InvalidProtocolBufferException when the bytes are not well-formed for the type
   */
  static Map<String, Object> read(ProtoSchema.Type type, byte[] bytes)
      throws InvalidProtocolBufferException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    Map<String, Object> map = read(type, in);
    in.checkLastTagWas(0);
    return map;
  }

  private static Map<String, Object> read(ProtoSchema.Type type, CodedInputStream in)
      throws InvalidProtocolBufferException {
    Map<Integer, Object> values = new HashMap<>();
    try {
      while (true) {
        int tag = in.readTag();
        if (tag == 0) {
          break;
        }
        ProtoSchema.Field field = type.field(WireFormat.getTagFieldNumber(tag));
        int wireType = WireFormat.getTagWireType(tag);
        boolean packed = field != null && field.packable()
            && wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED;
        if (field == null || (!packed && wireType != wireType(field))) {
          // a field this version of the .proto does not declare, or written as another type:
          // protobuf keeps it as unknown, and so does not show it
          in.skipField(tag);
          continue;
        }
        if (field.repeated()) {
          @SuppressWarnings("unchecked")
          List<Object> list = (List<Object>) values.computeIfAbsent(field.number(), n -> new ArrayList<>());
          if (packed) {
            int limit = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) {
              list.add(scalar(field, in));
            }
            in.popLimit(limit);
          } else {
            list.add(value(field, in));
          }
        } else {
          values.put(field.number(), value(field, in));
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (ProtoSchema.Field field : type.fields().values()) {
      Object value = values.get(field.number());
      if (field.repeated()) {
        // a packed field may arrive with no values at all: still an empty list, left out
        if (value != null && !((List<?>) value).isEmpty()) {
          out.put(field.name(), Collections.unmodifiableList((List<?>) value));
        }
      } else if (field.kind() == ProtoSchema.Kind.MESSAGE) {
        if (value != null) {
          out.put(field.name(), value);
        }
      } else if (field.kind() == ProtoSchema.Kind.STRING) {
        if (value != null && !((String) value).isEmpty()) {
          out.put(field.name(), value);
        }
      } else {
        out.put(field.name(), value != null ? value : defaultOf(field));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  private static Object value(ProtoSchema.Field field, CodedInputStream in) throws IOException {
    return switch (field.kind()) {
      case STRING -> in.readStringRequireUtf8();
      case BYTES -> in.readBytes().toStringUtf8();
      case MESSAGE -> {
        int limit = in.pushLimit(in.readRawVarint32());
        Map<String, Object> nested = read(field.type(), in);
        in.checkLastTagWas(0);
        in.popLimit(limit);
        yield nested;
      }
      case SCALAR -> scalar(field, in);
    };
  }

  private static Object scalar(ProtoSchema.Field field, CodedInputStream in) throws IOException {
    return switch (field.protoType()) {
      case "bool" -> in.readBool();
      case "double" -> in.readDouble();
      case "float" -> (double) in.readFloat();
      case "int32" -> (long) in.readInt32();
      case "sint32" -> (long) in.readSInt32();
      case "sint64" -> in.readSInt64();
      case "uint32" -> Integer.toUnsignedLong(in.readUInt32());
      case "fixed32" -> Integer.toUnsignedLong(in.readFixed32());
      case "sfixed32" -> (long) in.readSFixed32();
      case "fixed64" -> in.readFixed64();
      case "sfixed64" -> in.readSFixed64();
      default -> in.readInt64(); // int64, uint64, and enums as their numbers
    };
  }

  /** The wire type a value of this field is written with (unpacked). */
  private static int wireType(ProtoSchema.Field field) {
    if (field.kind() != ProtoSchema.Kind.SCALAR) {
      return WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }
    return switch (field.protoType()) {
      case "double", "fixed64", "sfixed64" -> WireFormat.WIRETYPE_FIXED64;
      case "float", "fixed32", "sfixed32" -> WireFormat.WIRETYPE_FIXED32;
      default -> WireFormat.WIRETYPE_VARINT;
    };
  }

  private static Object defaultOf(ProtoSchema.Field field) {
    return switch (field.protoType()) {
      case "bool" -> false;
      case "double", "float" -> 0.0;
      default -> field.kind() == ProtoSchema.Kind.BYTES ? "" : 0L;
    };
  }

  /**
   * Writes the map of a Lua table as an entity message of {@code type}, as Kong's encoder does:
   * keys the message does not declare and nil values are left out, list fields need a list;
   * {@code scalars} converts (and checks) each value of a string, integer or boolean field.
   *
   * @throws IllegalArgumentException when the value is not a map, or a field's value cannot be sent
   */
  static byte[] write(ProtoSchema.Type type, Object value, String what, Scalars scalars) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(what + " must be a map, got " + StructValues.describe(value));
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        ProtoSchema.Field field = type.field(String.valueOf(entry.getKey()));
        Object v = entry.getValue();
        if (field == null || v == null) {
          continue; // Kong's encoder ignores keys its message does not declare
        }
        String name = what + "." + field.name();
        if (field.repeated()) {
          if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException(name + " must be a list");
          }
          for (Object element : list) {
            writeScalar(out, field, scalars.convert(field, element, name), name);
          }
        } else {
          writeScalar(out, field, scalars.convert(field, v, name), name);
        }
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
  }

  private static void writeScalar(CodedOutputStream out, ProtoSchema.Field field, Object value,
      String name) throws IOException {
    switch (field.protoType()) {
      case "string" -> out.writeString(field.number(), (String) value);
      case "int64" -> out.writeInt64(field.number(), (Long) value);
      case "int32" -> out.writeInt32(field.number(), (Integer) value);
      case "bool" -> out.writeBool(field.number(), (Boolean) value);
      default -> throw new IllegalArgumentException(name + " cannot be sent");
    }
  }
}
