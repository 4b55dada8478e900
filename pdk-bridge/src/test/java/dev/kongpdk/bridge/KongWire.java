package dev.kongpdk.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * One connection playing Kong's side of MessagePack-RPC in tests, written directly against
 * msgpack-core's value model so that it shares no code with the server's codec.
 */
final class KongWire implements AutoCloseable {

  private final SocketChannel channel;
  private final MessagePacker out;
  private final MessageUnpacker in;
  private long msgid;

  KongWire(Path socket) throws IOException {
    channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    channel.connect(UnixDomainSocketAddress.of(socket));
    out = MessagePack.newDefaultPacker(Channels.newOutputStream(channel));
    in = MessagePack.newDefaultUnpacker(Channels.newInputStream(channel));
  }

  /** A server response {@code [1, msgid, error, result]}. */
  record Response(long msgid, String error, Object result) {
    @SuppressWarnings("unchecked")
    Map<String, Object> map() {
      if (error != null) {
        throw new AssertionError("RPC error: " + error);
      }
      return (Map<String, Object>) result;
    }

    Object data() {
      return map().get("Data");
    }

    long eventId() {
      return ((Number) map().get("EventId")).longValue();
    }

    @SuppressWarnings("unchecked")
    String method() {
      return (String) ((Map<String, Object>) data()).get("Method");
    }

    @SuppressWarnings("unchecked")
    List<Object> args() {
      return (List<Object>) ((Map<String, Object>) data()).get("Args");
    }
  }

  /** Sends {@code [0, msgid, method, [param]]} and reads the response. */
  Response call(String method, Object param) throws IOException {
    long id = ++msgid;
    send(id, method, param);
    return read(id);
  }

  void send(long id, String method, Object param) throws IOException {
    out.packArrayHeader(4).packInt(0).packLong(id).packString(method).packArrayHeader(1);
    pack(param);
    out.flush();
  }

  Response read(long expectedId) throws IOException {
    Value value = in.unpackValue();
    List<Value> message = value.asArrayValue().list();
    if (message.size() != 4 || message.get(0).asIntegerValue().toInt() != 1) {
      throw new AssertionError("not a response: " + value);
    }
    long id = message.get(1).asIntegerValue().toLong();
    if (id != expectedId) {
      throw new AssertionError("response id " + id + ", expected " + expectedId);
    }
    Value error = message.get(2);
    return new Response(id, error.isNilValue() ? null : error.asStringValue().asString(), toJava(message.get(3)));
  }

  /** Writes raw bytes, for malformed-input tests. */
  void sendRaw(byte[] bytes) throws IOException {
    channel.write(ByteBuffer.wrap(bytes));
  }

  /** Returns whether the server closed the connection (reads end of stream). */
  boolean closedByServer() {
    try {
      return !in.hasNext();
    } catch (IOException e) {
      return true; // reset: the server closed while unread data was pending
    }
  }

  Response startInstance(String name, String config) throws IOException {
    return call("plugin.StartInstance", Map.of("Name", name, "Config", config));
  }

  Response handleEvent(long instanceId, String phase) throws IOException {
    return call("plugin.HandleEvent", Map.of("InstanceId", instanceId, "EventName", phase));
  }

  Response step(long eventId, Object data) throws IOException {
    return step("plugin.Step", eventId, data);
  }

  Response step(String stepMethod, long eventId, Object data) throws IOException {
    Map<String, Object> param = new LinkedHashMap<>();
    param.put("EventId", eventId);
    if (data != null) {
      param.put("Data", data);
    }
    return call(stepMethod, param);
  }

  private void pack(Object value) throws IOException {
    switch (value) {
      case null -> out.packNil();
      case String s -> out.packString(s);
      case Long l -> out.packLong(l);
      case Integer i -> out.packInt(i);
      case Boolean b -> out.packBoolean(b);
      case Double d -> out.packDouble(d);
      case byte[] b -> out.packBinaryHeader(b.length).writePayload(b);
      case Map<?, ?> map -> {
        out.packMapHeader(map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
          pack(e.getKey());
          pack(e.getValue());
        }
      }
      case List<?> list -> {
        out.packArrayHeader(list.size());
        for (Object e : list) {
          pack(e);
        }
      }
      default -> throw new IllegalArgumentException(value.getClass().getName());
    }
  }

  private static Object toJava(Value value) {
    return switch (value.getValueType()) {
      case NIL -> null;
      case BOOLEAN -> value.asBooleanValue().getBoolean();
      case INTEGER -> value.asIntegerValue().toLong();
      case FLOAT -> value.asFloatValue().toDouble();
      case STRING -> value.asStringValue().asString();
      case BINARY -> value.asBinaryValue().asByteArray();
      case ARRAY -> {
        List<Object> list = new ArrayList<>();
        value.asArrayValue().forEach(v -> list.add(toJava(v)));
        yield list;
      }
      case MAP -> {
        Map<String, Object> map = new LinkedHashMap<>();
        value.asMapValue().map().forEach((k, v) -> map.put(k.toString(), toJava(v)));
        yield map;
      }
      case EXTENSION -> throw new AssertionError("extension value from the server");
    };
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** The bytes {@code body} writes: for messages a test sends raw, malformed or oversized. */
  static byte[] pack(Body body) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MessagePacker packer = MessagePack.newDefaultPacker(bytes)) {
      body.write(packer);
    }
    return bytes.toByteArray();
  }

  /** What {@link #pack} writes. */
  interface Body {
    void write(MessagePacker out) throws Exception;
  }

  /** A full event of the test plugin "greeter" on a fresh connection: the server still serves. */
  static void assertServes(PluginServer server) throws Exception {
    try (KongWire kong = new KongWire(server.socket())) {
      kong.assertServesAccess(((Number) kong.startInstance("greeter", "{}").map().get("Id"))
          .longValue());
    }
  }

  /**
   * Runs the access phase of greeter instance {@code instanceId} on this connection from start to
   * end: its {@code get_header} answered, then its {@code set_header}, then its return.
   */
  void assertServesAccess(long instanceId) throws IOException {
    long eventId = handleEvent(instanceId, "access").eventId();
    assertEquals("kong.response.set_header", step(eventId, "h").method());
    assertEquals("ret", step(eventId, null).data());
  }
}
