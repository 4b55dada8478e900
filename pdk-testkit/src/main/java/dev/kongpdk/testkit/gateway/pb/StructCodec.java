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
 * {@code google.protobuf.Struct}, {@code Value} and {@code ListValue} as Kong's {@code
 * pb_rpc.lua} (Kong 3.x) converts them to and from Lua: a table with a first element is a list,
 * any other table a struct; on the way in, {@code false} and {@code null} become nil.
 */
final class StructCodec {

  private StructCodec() {}

  // ---- Lua -> protobuf (Kong's wrap) --------------------------------------------------------

  static byte[] value(Object lua) {
    return build(out -> writeValue(out, lua));
  }

  static byte[] struct(Map<?, ?> table) {
    return build(out -> writeStruct(out, table));
  }

  static byte[] list(List<?> array) {
    return build(out -> writeList(out, array));
  }

  private static void writeValue(CodedOutputStream out, Object lua) throws IOException {
    switch (lua) {
      case null -> out.writeEnum(1, 0);
      case Boolean b -> out.writeBool(4, b);
      case Number n -> out.writeDouble(2, n.doubleValue());
      case String s -> out.writeBytes(3, ByteString.copyFromUtf8(s));
      case byte[] b -> out.writeBytes(3, ByteString.copyFrom(b));
      case List<?> l when !l.isEmpty() -> out.writeBytes(6, ByteString.copyFrom(list(l)));
      case List<?> l -> out.writeBytes(5, ByteString.EMPTY); // Lua cannot tell {} from []
      case Map<?, ?> m -> out.writeBytes(5, ByteString.copyFrom(struct(m)));
      default -> throw new IllegalArgumentException("not a Lua value: " + lua.getClass().getName());
    }
  }

  private static void writeStruct(CodedOutputStream out, Map<?, ?> table) throws IOException {
    for (Map.Entry<?, ?> entry : table.entrySet()) {
      byte[] field = build(f -> {
        f.writeBytes(1, ByteString.copyFromUtf8(String.valueOf(entry.getKey())));
        f.writeBytes(2, ByteString.copyFrom(value(entry.getValue())));
      });
      out.writeBytes(1, ByteString.copyFrom(field));
    }
  }

  private static void writeList(CodedOutputStream out, List<?> array) throws IOException {
    for (Object element : array) {
      out.writeBytes(1, ByteString.copyFrom(value(element)));
    }
  }

  // ---- protobuf -> Lua (Kong's unwrap) ------------------------------------------------------

  /** {@code bool_value or string_value or number_value or null_value}: false and null are nil. */
  static Object readValue(byte[] message) {
    Object result = null;
    try {
      CodedInputStream in = CodedInputStream.newInstance(message);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            in.readEnum();
            result = null;
          }
          case 2 -> result = in.readDouble();
          case 3 -> result = in.readBytes().toStringUtf8();
          case 4 -> result = in.readBool() ? Boolean.TRUE : null;
          case 5 -> result = readStruct(in.readBytes().toByteArray());
          case 6 -> result = readList(in.readBytes().toByteArray());
          default -> in.skipField(tag);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not a valid Value: " + e.getMessage(), e);
    }
    return result;
  }

  static Map<String, Object> readStruct(byte[] message) {
    Map<String, Object> table = new LinkedHashMap<>();
    try {
      CodedInputStream in = CodedInputStream.newInstance(message);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (WireFormat.getTagFieldNumber(tag) != 1) {
          in.skipField(tag);
          continue;
        }
        CodedInputStream entry = CodedInputStream.newInstance(in.readBytes().toByteArray());
        String key = null;
        Object value = null;
        for (int t = entry.readTag(); t != 0; t = entry.readTag()) {
          switch (WireFormat.getTagFieldNumber(t)) {
            case 1 -> key = entry.readBytes().toStringUtf8();
            case 2 -> value = readValue(entry.readBytes().toByteArray());
            default -> entry.skipField(t);
          }
        }
        table.put(key, value);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not a valid Struct: " + e.getMessage(), e);
    }
    return table;
  }

  static List<Object> readList(byte[] message) {
    List<Object> array = new ArrayList<>();
    try {
      CodedInputStream in = CodedInputStream.newInstance(message);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (WireFormat.getTagFieldNumber(tag) == 1) {
          array.add(readValue(in.readBytes().toByteArray()));
        } else {
          in.skipField(tag);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not a valid ListValue: " + e.getMessage(), e);
    }
    return array;
  }

  interface Writes {
    void to(CodedOutputStream out) throws IOException;
  }

  static byte[] build(Writes writes) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      writes.to(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
