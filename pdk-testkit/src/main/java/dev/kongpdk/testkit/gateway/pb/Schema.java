package dev.kongpdk.testkit.gateway.pb;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A message of Kong's {@code pluginsocket.proto} described by field names, numbers and types, and
 * converted to and from a map with those names, as Kong's lua-protobuf converts Lua tables
 * ({@code pb.encode} ignores keys the message does not declare). Written from the proto's field
 * numbers, independently of the plugin server's generated classes.
 */
record Schema(List<Field> fields) {

  enum Type { STRING, BYTES, INT32, INT64, BOOL, DOUBLE, MESSAGE }

  record Field(String name, int number, Type type, boolean repeated, Schema message) {}

  static Builder builder() {
    return new Builder();
  }

  static final class Builder {
    private final List<Field> fields = new ArrayList<>();

    Builder field(String name, int number, Type type) {
      fields.add(new Field(name, number, type, false, null));
      return this;
    }

    Builder repeated(String name, int number, Type type) {
      fields.add(new Field(name, number, type, true, null));
      return this;
    }

    Builder message(String name, int number, Schema message) {
      fields.add(new Field(name, number, Type.MESSAGE, false, message));
      return this;
    }

    Builder repeatedMessage(String name, int number, Schema message) {
      fields.add(new Field(name, number, Type.MESSAGE, true, message));
      return this;
    }

    Schema build() {
      return new Schema(List.copyOf(fields));
    }
  }

  /** Encodes the entries of {@code values} that name a field; others are ignored. */
  byte[] encode(Map<?, ?> values) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      for (Field field : fields) {
        Object value = values.get(field.name());
        if (value == null) {
          continue;
        }
        if (field.repeated()) {
          for (Object element : (List<?>) value) {
            write(out, field, element);
          }
        } else {
          write(out, field, value);
        }
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void write(CodedOutputStream out, Field field, Object value) throws IOException {
    int n = field.number();
    switch (field.type()) {
      case STRING, BYTES -> out.writeBytes(n, bytes(value));
      case INT32 -> out.writeInt32(n, ((Number) value).intValue());
      case INT64 -> out.writeInt64(n, ((Number) value).longValue());
      case BOOL -> out.writeBool(n, (Boolean) value);
      case DOUBLE -> out.writeDouble(n, ((Number) value).doubleValue());
      case MESSAGE -> out.writeBytes(n, ByteString.copyFrom(field.message().encode((Map<?, ?>) value)));
    }
  }

  static ByteString bytes(Object value) {
    return value instanceof byte[] b ? ByteString.copyFrom(b) : ByteString.copyFromUtf8(value.toString());
  }

  /**
   * Decodes a message into a map of the fields present; text as {@code String}, bytes as {@code
   * byte[]}, integers as {@code Long}, repeated fields as lists.
   */
  Map<String, Object> decode(byte[] message) {
    Map<String, Object> out = new LinkedHashMap<>();
    try {
      CodedInputStream in = CodedInputStream.newInstance(message);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        Field field = field(WireFormat.getTagFieldNumber(tag));
        if (field == null) {
          in.skipField(tag);
          continue;
        }
        Object value = switch (field.type()) {
          case STRING -> in.readBytes().toStringUtf8();
          case BYTES -> in.readBytes().toByteArray();
          case INT32, INT64 -> in.readInt64();
          case BOOL -> in.readBool();
          case DOUBLE -> in.readDouble();
          case MESSAGE -> field.message().decode(in.readBytes().toByteArray());
        };
        if (field.repeated()) {
          @SuppressWarnings("unchecked")
          List<Object> list = (List<Object>) out.computeIfAbsent(field.name(), k -> new ArrayList<>());
          list.add(value);
        } else {
          out.put(field.name(), value);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not a valid message: " + e.getMessage(), e);
    }
    return out;
  }

  private Field field(int number) {
    for (Field field : fields) {
      if (field.number() == number) {
        return field;
      }
    }
    return null;
  }
}
