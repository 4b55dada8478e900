package dev.kongpdk.bridge;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.kongpdk.bridge.internal.pb.PbMethod;
import dev.kongpdk.bridge.internal.pb.PbMethods;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.ExitArgs;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.KV;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.ListValue;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.Struct;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.Value;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Kong's side of either protocol, reduced to what Kong does for one request: run an event and
 * answer each PDK call, so that the same scenario can be checked over MessagePack and ProtoBuf.
 * PDK calls are seen as Lua would see them (method plus plain arguments); for ProtoBuf the
 * arguments are unwrapped and the answers wrapped as {@code pb_rpc.lua} does.
 */
interface KongSide extends AutoCloseable {

  /** A PDK call as Lua receives it. */
  record Call(String method, List<Object> args) {}

  /** The calls of one event, and whether it ended with {@code kong.response.exit}. */
  record Run(List<Call> calls, boolean exited) {
    Call last() {
      return calls.get(calls.size() - 1);
    }
  }

  int startInstance(String name, String config) throws IOException;

  /** Runs one event, answering each call with {@code answers} (a Lua value, or null for nil). */
  Run event(int instanceId, String phase, Function<Call, Object> answers) throws IOException;

  @Override
  void close() throws IOException;

  static KongSide connect(dev.kongpdk.plugin.Protocol protocol, Path socket) throws IOException {
    return switch (protocol) {
      case MSGPACK -> new Msgpack(new KongWire(socket));
      case PROTOBUF -> new Protobuf(new KongPbWire(socket));
    };
  }

  /** Kong's mp_rpc.lua: a Step carries each answer; {@code "ret"} ends the event. */
  record Msgpack(KongWire wire) implements KongSide {
    @Override
    public int startInstance(String name, String config) throws IOException {
      return ((Number) wire.startInstance(name, config).map().get("Id")).intValue();
    }

    @Override
    public Run event(int instanceId, String phase, Function<Call, Object> answers) throws IOException {
      List<Call> calls = new ArrayList<>();
      KongWire.Response response = wire.handleEvent(instanceId, phase);
      long eventId = response.eventId();
      while (!"ret".equals(response.data())) {
        Call call = new Call(response.method(), response.args());
        calls.add(call);
        if (call.method().equals("kong.response.exit")) {
          return new Run(calls, true);
        }
        response = wire.step(eventId, answers.apply(call));
      }
      return new Run(calls, false);
    }

    @Override
    public void close() throws IOException {
      wire.close();
    }
  }

  /** Kong's pb_rpc.lua: the event's calls arrive on its connection; an empty frame ends it. */
  record Protobuf(KongPbWire wire) implements KongSide {
    @Override
    public int startInstance(String name, String config) throws IOException {
      return wire.startInstance(name, config);
    }

    @Override
    public Run event(int instanceId, String phase, Function<Call, Object> answers) throws IOException {
      List<Call> calls = new ArrayList<>();
      wire.handleEvent(instanceId, phase);
      for (KongPbWire.PdkCall pdk = wire.nextCall(); pdk != null; pdk = wire.nextCall()) {
        String name = pdk.method();
        PbMethod method = PbMethods.kong().find(name)
            .orElseThrow(() -> new AssertionError("method \"" + name + "\" not found"));
        Call call = new Call(pdk.method(), unwrap(method, pdk.args()));
        calls.add(call);
        if (call.method().equals("kong.response.exit")) {
          return new Run(calls, true);
        }
        Message reply = wrap(method, answers.apply(call));
        if (reply == null) {
          wire.replyEmpty();
        } else {
          wire.reply(reply);
        }
      }
      return new Run(calls, false);
    }

    @Override
    public void close() throws IOException {
      wire.close();
    }

    private static List<Object> unwrap(PbMethod method, byte[] args) throws InvalidProtocolBufferException {
      List<Object> out = new ArrayList<>();
      switch (method.inputName()) {
        case "Empty" -> { }
        case "String" -> out.add(PluginSocket.String.parseFrom(args).getV().toStringUtf8());
        case "Int" -> out.add((long) PluginSocket.Int.parseFrom(args).getV());
        case "KV" -> {
          KV kv = KV.parseFrom(args);
          out.add(kv.getK().toStringUtf8());
          out.add(lua(kv.getV()));
        }
        case "ListValue" -> ListValue.parseFrom(args).getValuesList().forEach(v -> out.add(lua(v)));
        case "ExitArgs" -> {
          ExitArgs exit = ExitArgs.parseFrom(args);
          out.add((long) exit.getStatus());
          out.add(exit.getBody().toStringUtf8());
          out.add(lua(Value.newBuilder().setStructValue(exit.getHeaders()).build()));
        }
        default -> throw new AssertionError("no unwrap for " + method.inputName());
      }
      return out;
    }

    private static Object lua(Value value) {
      return switch (value.getKindCase()) {
        case STRING_VALUE -> value.getStringValue().toStringUtf8();
        case NUMBER_VALUE -> value.getNumberValue();
        case BOOL_VALUE -> value.getBoolValue();
        case LIST_VALUE -> value.getListValue().getValuesList().stream().map(Protobuf::lua).toList();
        case STRUCT_VALUE -> {
          Map<String, Object> map = new LinkedHashMap<>();
          value.getStructValue().getFieldsList()
              .forEach(f -> map.put(f.getKey().toStringUtf8(), lua(f.getValue())));
          yield map;
        }
        case NULL_VALUE, KIND_NOT_SET -> null;
      };
    }

    private static Message wrap(PbMethod method, Object result) {
      if (result == null) {
        return null;
      }
      return switch (method.outputName()) {
        case "String" -> PluginSocket.String.newBuilder()
            .setV(ByteString.copyFromUtf8((String) result)).build();
        case "Int" -> PluginSocket.Int.newBuilder().setV(((Number) result).intValue()).build();
        case "Struct" -> {
          Struct.Builder struct = Struct.newBuilder();
          ((Map<?, ?>) result).forEach((k, v) -> struct.addFields(Struct.Field.newBuilder()
              .setKey(ByteString.copyFromUtf8((String) k))
              .setValue(Value.newBuilder().setStringValue(ByteString.copyFromUtf8((String) v)))));
          yield struct.build();
        }
        default -> throw new AssertionError("no wrap for " + method.outputName());
      };
    }
  }
}
