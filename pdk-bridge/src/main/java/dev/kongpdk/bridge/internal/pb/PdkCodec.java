package dev.kongpdk.bridge.internal.pb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.kongpdk.PdkException;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.AuthenticateArgs;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.AuthenticatedCredential;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.Consumer;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.ConsumerSpec;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.ExitArgs;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.KV;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.RawBodyResult;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.Struct;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.Target;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.UriCapturesResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Encodes the plain Java arguments of a PDK call into the argument message Kong expects, and
 * decodes Kong's reply into the plain Java value the same call returns over MessagePack, so that
 * the typed API reads both protocols with the same code.
 *
 * <p>The mapping follows Kong's {@code pb_rpc.lua} (§4.4 of the protocol reference): what Kong
 * unwraps from each argument type into Lua arguments, and how it wraps each Lua result.
 */
public final class PdkCodec {

  /**
   * Functions whose Lua result may be {@code nil}. Kong encodes a nil result as an empty message,
   * which reads the same as {@code ""}, {@code 0} or {@code false}; for these functions it is
   * decoded as {@code null} (absent), for the others as the empty value.
   */
  private static final Set<String> NIL_WHEN_EMPTY = Set.of(
      "kong.request.get_header",
      "kong.request.get_query_arg",
      "kong.request.get_http_version",
      "kong.response.get_header",
      "kong.service.response.get_header",
      "kong.service.response.get_status",
      "kong.service.set_upstream",
      "kong.nginx.get_var",
      "kong.nginx.set_ctx",
      "kong.client.get_protocol");

  /** Functions answering a header or query table, decoded like MessagePack's StepMultiMap. */
  private static final Set<String> MULTI_MAPS = Set.of(
      "kong.request.get_headers",
      "kong.request.get_query",
      "kong.response.get_headers",
      "kong.service.response.get_headers");

  private static final ObjectMapper JSON = new ObjectMapper();

  private PdkCodec() {}

  // ---- arguments ----------------------------------------------------------------------------

  /**
   * Encodes the arguments of a call of {@code method}.
   *
   * @throws PdkException naming the function when the arguments cannot be sent over ProtoBuf
   */
  public static byte[] encodeArgs(PbMethod method, Object... args) {
    try {
      Message message = switch (method.inputName()) {
        case "Empty" -> {
          requireAtMost(method, args, 0);
          yield PluginSocket.Empty.getDefaultInstance();
        }
        case "String" -> {
          requireAtMost(method, args, 1);
          PluginSocket.String.Builder b = PluginSocket.String.newBuilder();
          if (arg(args, 0) != null) {
            b.setV(text(arg(args, 0), "the argument"));
          }
          yield b.build();
        }
        case "ByteString" -> {
          requireAtMost(method, args, 1);
          PluginSocket.ByteString.Builder b = PluginSocket.ByteString.newBuilder();
          if (arg(args, 0) != null) {
            b.setV(text(arg(args, 0), "the argument"));
          }
          yield b.build();
        }
        case "Int" -> {
          requireAtMost(method, args, 1);
          PluginSocket.Int.Builder b = PluginSocket.Int.newBuilder();
          if (arg(args, 0) != null) {
            b.setV(int32(arg(args, 0), "the argument"));
          }
          yield b.build();
        }
        case "Bool" -> {
          requireAtMost(method, args, 1);
          PluginSocket.Bool.Builder b = PluginSocket.Bool.newBuilder();
          if (arg(args, 0) != null) {
            b.setV(bool(arg(args, 0), "the argument"));
          }
          yield b.build();
        }
        case "KV" -> {
          requireAtMost(method, args, 2);
          yield KV.newBuilder()
              .setK(text(required(args, 0, "the name"), "the name"))
              .setV(StructValues.toValue(arg(args, 1)))
              .build();
        }
        case "Target" -> {
          requireAtMost(method, args, 2);
          yield Target.newBuilder()
              .setHost(text(required(args, 0, "the host"), "the host").toStringUtf8())
              .setPort(int32(required(args, 1, "the port"), "the port"))
              .build();
        }
        case "ConsumerSpec" -> {
          requireAtMost(method, args, 2);
          ConsumerSpec.Builder b = ConsumerSpec.newBuilder()
              .setId(text(required(args, 0, "the consumer id"), "the consumer id").toStringUtf8());
          if (arg(args, 1) != null) {
            b.setByUsername(bool(arg(args, 1), "by_username"));
          }
          yield b.build();
        }
        case "AuthenticateArgs" -> {
          requireAtMost(method, args, 2);
          AuthenticateArgs.Builder b = AuthenticateArgs.newBuilder();
          if (arg(args, 0) != null) {
            b.setConsumer(entity(Consumer.parser(), "Consumer", arg(args, 0), "the consumer"));
          }
          if (arg(args, 1) != null) {
            b.setCredential(entity(AuthenticatedCredential.parser(), "AuthenticatedCredential",
                arg(args, 1), "the credential"));
          }
          yield b.build();
        }
        case "ExitArgs" -> exitArgs(method, args);
        case "ListValue" -> StructValues.toList(List.of(nonNull(args)));
        case "Struct" -> {
          requireAtMost(method, args, 1);
          if (!(arg(args, 0) instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(
                "expects a map, got " + StructValues.describe(arg(args, 0)));
          }
          yield StructValues.toStruct(map);
        }
        default -> throw new IllegalStateException(
            "no encoding for argument type " + method.inputName());
      };
      return message.toByteArray();
    } catch (IllegalArgumentException e) {
      throw new PdkException(method.luaName(), "cannot be called over ProtoBuf with these"
          + " arguments: " + e.getMessage(), e);
    }
  }

  /**
   * {@code kong.response.exit(status, body?, headers?)}. Kong's ExitArgs carries the body as
   * bytes, so a table body is JSON-encoded here and, as Kong does for a table body, sent with
   * {@code Content-Type: application/json; charset=utf-8} unless the headers set one.
   */
  private static Message exitArgs(PbMethod method, Object[] args) {
    requireAtMost(method, args, 3);
    ExitArgs.Builder b = ExitArgs.newBuilder()
        .setStatus(int32(required(args, 0, "the status"), "the status"));
    Object body = arg(args, 1);
    Map<String, Object> headers = new LinkedHashMap<>();
    if (arg(args, 2) instanceof Map<?, ?> given) {
      given.forEach((k, v) -> headers.put(String.valueOf(k), v));
    } else if (arg(args, 2) != null) {
      throw new IllegalArgumentException(
          "the headers must be a map, got " + StructValues.describe(arg(args, 2)));
    }
    switch (body) {
      case null -> { }
      case CharSequence text -> b.setBody(StructValues.utf8(text.toString()));
      case byte[] bytes -> b.setBody(ByteString.copyFrom(bytes));
      case Map<?, ?> m -> setJsonBody(b, m, headers);
      case List<?> l -> setJsonBody(b, l, headers);
      default -> throw new IllegalArgumentException(
          "the body must be a string, bytes or a map, got " + StructValues.describe(body));
    }
    if (!headers.isEmpty()) {
      b.setHeaders(StructValues.toStruct(headers));
    }
    return b.build();
  }

  private static void setJsonBody(ExitArgs.Builder b, Object body, Map<String, Object> headers) {
    try {
      b.setBody(ByteString.copyFrom(JSON.writeValueAsBytes(body)));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the body cannot be written as JSON: " + e.getMessage(), e);
    }
    boolean typed = headers.keySet().stream().anyMatch("content-type"::equalsIgnoreCase);
    if (!typed) {
      headers.put("Content-Type", "application/json; charset=utf-8");
    }
  }

  /** An entity message of {@code type} from a map with the keys of Kong's Lua table. */
  private static <T> T entity(Parser<T> parser, String type, Object value, String what) {
    byte[] bytes = EntityMaps.write(ProtoSchema.kong().type(type), value, what, PdkCodec::scalar);
    try {
      return parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the " + type + " message written here does not parse", e);
    }
  }

  private static Object scalar(ProtoSchema.Field field, Object value, String name) {
    return switch (field.protoType()) {
      case "string" -> text(value, name).toStringUtf8();
      case "int64" -> integral(value, name);
      case "int32" -> int32(value, name);
      case "bool" -> bool(value, name);
      default -> value; // EntityMaps refuses the types it cannot write
    };
  }

  // ---- results ------------------------------------------------------------------------------

  /**
   * Decodes Kong's reply to a call of {@code method}. An empty reply is Kong's encoding of a nil
   * result or of an empty message.
   *
   * @throws PdkException when the reply is not a valid message of the method's result type, or when
   *     Kong reports an error ({@code RawBodyResult.error}, the only error Kong transmits)
   */
  /** Returns the message type of Kong's reply to {@code method}, as pluginsocket.proto names it. */
  static ProtoSchema.Type outputType(PbMethod method) {
    return ProtoSchema.kong().type(method.outputName());
  }

  public static Object decodeReply(PbMethod method, byte[] reply) {
    try {
      return decode(method, reply);
    } catch (InvalidProtocolBufferException e) {
      throw new PdkException(method.luaName(), "Kong's reply is not a valid "
          + method.outputName() + " message: " + e.getMessage(), e);
    }
  }

  private static Object decode(PbMethod method, byte[] reply) throws InvalidProtocolBufferException {
    String name = method.luaName();
    boolean empty = reply.length == 0;
    if (empty && NIL_WHEN_EMPTY.contains(name)) {
      return null;
    }
    return switch (method.outputName()) {
      case "Empty" -> null;
      case "String" -> PluginSocket.String.parseFrom(reply).getV().toStringUtf8();
      case "ByteString" -> PluginSocket.ByteString.parseFrom(reply).getV().toByteArray();
      case "Int" -> (long) PluginSocket.Int.parseFrom(reply).getV();
      case "Number" -> StructValues.number(PluginSocket.Number.parseFrom(reply).getV());
      case "Bool" -> PluginSocket.Bool.parseFrom(reply).getV();
      case "Value" -> empty ? null : StructValues.fromValue(PluginSocket.Value.parseFrom(reply));
      case "Struct" -> MULTI_MAPS.contains(name)
          ? StructValues.multiMap(Struct.parseFrom(reply))
          : StructValues.fromStruct(Struct.parseFrom(reply));
      case "RawBodyResult" -> rawBody(name, RawBodyResult.parseFrom(reply));
      case "UriCapturesResult" -> uriCaptures(UriCapturesResult.parseFrom(reply));
      case "Route", "Service", "Consumer", "AuthenticatedCredential", "MemoryStats" ->
          empty ? null : EntityMaps.read(outputType(method), reply);
      default -> throw new IllegalStateException("no decoding for result type " + method.outputName());
    };
  }

  /**
   * The body as bytes: from the message, or read from the temporary file nginx buffered it to
   * (Kong and its plugin servers share the host); Kong's error becomes a {@link PdkException}.
   */
  private static byte[] rawBody(String method, RawBodyResult result) {
    return switch (result.getKindCase()) {
      case CONTENT -> result.getContent().toByteArray();
      case BODY_FILEPATH -> {
        String path = result.getBodyFilepath().toStringUtf8();
        try {
          yield Files.readAllBytes(Path.of(path));
        } catch (IOException | RuntimeException e) {
          throw new PdkException(method, "Kong buffered the body to " + path
              + ", which cannot be read: " + e.getMessage(), e);
        }
      }
      case ERROR -> throw new PdkException(method, result.getError().toStringUtf8());
      case KIND_NOT_SET -> new byte[0];
    };
  }

  private static Map<String, Object> uriCaptures(UriCapturesResult result) {
    List<Object> unnamed = new ArrayList<>();
    result.getUnnamedList().forEach(b -> unnamed.add(b.toStringUtf8()));
    Map<String, Object> named = new LinkedHashMap<>();
    result.getNamedMap().forEach((k, v) -> named.put(k, v.toStringUtf8()));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("unnamed", Collections.unmodifiableList(unnamed));
    out.put("named", Collections.unmodifiableMap(named));
    return Collections.unmodifiableMap(out);
  }

  // ---- argument helpers ---------------------------------------------------------------------

  private static Object arg(Object[] args, int index) {
    return args != null && index < args.length ? args[index] : null;
  }

  private static Object required(Object[] args, int index, String what) {
    Object value = arg(args, index);
    if (value == null) {
      throw new IllegalArgumentException(what + " is missing");
    }
    return value;
  }

  private static Object[] nonNull(Object[] args) {
    return args == null ? new Object[0] : args;
  }

  /** Kong's argument message has room for {@code max} arguments; trailing nulls are allowed. */
  private static void requireAtMost(PbMethod method, Object[] args, int max) {
    if (args == null) {
      return;
    }
    for (int i = max; i < args.length; i++) {
      if (args[i] != null) {
        throw new IllegalArgumentException("Kong's " + method.inputName() + " argument of "
            + method.rpcName() + " carries " + (max == 0 ? "no arguments" : "at most " + max)
            + ", got " + args.length + "; the MessagePack protocol (the default) passes any");
      }
    }
  }

  private static ByteString text(Object value, String what) {
    return switch (value) {
      case CharSequence s -> StructValues.utf8(s.toString());
      case byte[] b -> ByteString.copyFrom(b);
      case Number n -> StructValues.utf8(String.valueOf(StructValues.number(n.doubleValue())));
      case Boolean b -> StructValues.utf8(b.toString());
      default -> throw new IllegalArgumentException(
          what + " must be a string, got " + StructValues.describe(value));
    };
  }

  private static long integral(Object value, String what) {
    if (value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 9.2e18) {
      return d.longValue();
    }
    throw new IllegalArgumentException(what + " must be an integer, got "
        + StructValues.describe(value));
  }

  private static int int32(Object value, String what) {
    long n = integral(value, what);
    if (n != (int) n) {
      throw new IllegalArgumentException(what + " " + n + " does not fit Kong's int32");
    }
    return (int) n;
  }

  private static boolean bool(Object value, String what) {
    if (value instanceof Boolean b) {
      return b;
    }
    throw new IllegalArgumentException(what + " must be a boolean, got "
        + StructValues.describe(value));
  }
}
