package dev.kongpdk.testkit.gateway.pb;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What Kong's {@code pb_rpc.lua} (Kong 3.x) does with a PDK call: turns the argument message into
 * Lua arguments ("unwrap") and the Lua result into the reply message ("wrap").
 */
final class KongPdk {

  private KongPdk() {}

  /** The Lua arguments of a call, from its argument message. */
  static List<Object> unwrap(KongService.Method method, byte[] message) {
    List<Object> args = new ArrayList<>();
    switch (method.input()) {
      case "Empty" -> { }
      case "String" -> addIfPresent(args, Messages.SCALAR_V_STRING.decode(message).get("v"), true);
      case "ByteString" -> addIfPresent(args, Messages.SCALAR_V_STRING.decode(message).get("v"), false);
      case "Int" -> addIfPresent(args, Messages.SCALAR_V_INT.decode(message).get("v"), false);
      case "Bool" -> addIfPresent(args, Messages.SCALAR_V_BOOL.decode(message).get("v"), false);
      case "Number" -> addIfPresent(args, Messages.SCALAR_V_NUMBER.decode(message).get("v"), false);
      case "KV" -> {
        Map<String, Object> kv = Schema.builder()
            .field("k", 1, Schema.Type.STRING).field("v", 2, Schema.Type.BYTES).build().decode(message);
        args.add(kv.get("k"));
        args.add(kv.get("v") == null ? null : StructCodec.readValue((byte[]) kv.get("v")));
      }
      case "Target" -> {
        Map<String, Object> target = Messages.TARGET.decode(message);
        args.add(target.get("host"));
        args.add(target.get("port"));
      }
      case "ExitArgs" -> {
        Map<String, Object> exit = Schema.builder()
            .field("status", 1, Schema.Type.INT32).field("body", 2, Schema.Type.BYTES)
            .field("headers", 3, Schema.Type.BYTES).build().decode(message);
        args.add(exit.get("status"));
        args.add(exit.get("body"));
        args.add(exit.get("headers") == null ? null : StructCodec.readStruct((byte[]) exit.get("headers")));
      }
      case "ConsumerSpec" -> {
        Map<String, Object> spec = Messages.CONSUMER_SPEC.decode(message);
        args.add(spec.get("id"));
        args.add(spec.get("by_username"));
      }
      case "AuthenticateArgs" -> {
        Map<String, Object> auth = Messages.AUTHENTICATE_ARGS.decode(message);
        args.add(auth.get("consumer"));
        args.add(auth.get("credential"));
      }
      case "ListValue" -> args.addAll(StructCodec.readList(message));
      case "Struct" -> args.add(StructCodec.readStruct(message));
      case "Value" -> args.add(StructCodec.readValue(message));
      default -> throw new IllegalStateException("no unwrap for " + method.input());
    }
    while (!args.isEmpty() && args.get(args.size() - 1) == null) {
      args.remove(args.size() - 1); // Lua does not see trailing nils
    }
    return args;
  }

  private static void addIfPresent(List<Object> args, Object value, boolean text) {
    if (value != null) {
      args.add(text && value instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : value);
    }
  }

  /**
   * The reply to a call, from the Lua result: empty for nil. A raw request body is answered with
   * {@code content} for text or bytes, {@code body_filepath} for a {@link Path} (nginx buffered the
   * body to a file) and {@code error} otherwise, as Kong does.
   */
  static byte[] wrap(KongService.Method method, Object result) {
    return switch (method.output()) {
      case "Empty" -> new byte[0];
      case "String", "ByteString" -> result == null ? new byte[0]
          : StructCodec.build(out -> out.writeBytes(1, Schema.bytes(result)));
      case "Int" -> result == null ? new byte[0]
          : StructCodec.build(out -> out.writeInt32(1, ((Number) result).intValue()));
      case "Number" -> result == null ? new byte[0]
          : StructCodec.build(out -> out.writeDouble(1, ((Number) result).doubleValue()));
      case "Bool" -> result == null ? new byte[0]
          : StructCodec.build(out -> out.writeBool(1, (Boolean) result));
      case "Struct" -> result == null ? new byte[0] : StructCodec.struct((Map<?, ?>) result);
      case "ListValue" -> result == null ? new byte[0] : StructCodec.list((List<?>) result);
      case "Value" -> StructCodec.value(result);
      case "RawBodyResult" -> StructCodec.build(out -> rawBody(out, result));
      case "UriCapturesResult" -> result == null ? new byte[0] : uriCaptures((Map<?, ?>) result);
      default -> {
        Schema entity = Messages.ENTITIES.get(method.output());
        if (entity == null) {
          throw new IllegalStateException("no wrap for " + method.output());
        }
        yield result == null ? new byte[0] : entity.encode((Map<?, ?>) result);
      }
    };
  }

  private static void rawBody(CodedOutputStream out, Object result) throws java.io.IOException {
    switch (result) {
      case String s -> out.writeBytes(1, ByteString.copyFromUtf8(s));
      case byte[] b -> out.writeBytes(1, ByteString.copyFrom(b));
      case Path p -> out.writeBytes(2, ByteString.copyFromUtf8(p.toString()));
      case null, default -> out.writeBytes(3, ByteString.copyFromUtf8(
          result == null ? "Can't read request body" : result.toString()));
    }
  }

  private static byte[] uriCaptures(Map<?, ?> captures) {
    return StructCodec.build(out -> {
      if (captures.get("unnamed") instanceof List<?> unnamed) {
        for (Object capture : unnamed) {
          out.writeBytes(1, Schema.bytes(capture));
        }
      }
      if (captures.get("named") instanceof Map<?, ?> named) {
        for (Map.Entry<?, ?> entry : named.entrySet()) {
          byte[] pair = StructCodec.build(p -> {
            p.writeBytes(1, Schema.bytes(entry.getKey()));
            p.writeBytes(2, Schema.bytes(entry.getValue()));
          });
          out.writeBytes(2, ByteString.copyFrom(pair));
        }
      }
    });
  }
}
