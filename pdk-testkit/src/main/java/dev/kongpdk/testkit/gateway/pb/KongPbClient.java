package dev.kongpdk.testkit.gateway.pb;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One connection playing Kong's side of the ProtoBuf plugin protocol ({@code ProtoBuf:1}) against
 * a plugin server, as Kong 3.x's {@code pb_rpc.lua} does: length-prefixed frames, sequence numbers
 * from 2 and checked on every {@code RpcReturn}, each event's PDK calls answered on its own
 * connection, the Lua arguments and results converted the way Kong converts them.
 *
 * <pre>{@code
 * try (KongPbClient kong = KongPbClient.connect(socket)) {
 *   int id = kong.startInstance("hello", "{\"message\":\"hi\"}");
 *   KongPbClient.Event event = kong.handleEvent(id, "access", (method, args) ->
 *       method.equals("kong.request.get_header") ? "example.com" : null);
 *   assertEquals(List.of("x-hello", "hi example.com"), event.calls().get(1).args());
 * }
 * }</pre>
 *
 * <p>Not thread-safe: Kong uses one connection for one thing at a time; open one client per
 * concurrent request.
 */
public final class KongPbClient implements AutoCloseable {

  /** Answers the PDK calls of an event the way Kong's Lua PDK would. */
  @FunctionalInterface
  public interface Pdk {
    /**
     * Returns the Lua result of {@code method} called with {@code args}: {@code null} for nil,
     * {@code String}, {@code byte[]}, {@code Boolean}, a number, a {@code List} or a {@code Map};
     * for {@code kong.request.get_raw_body} also a {@link Path} (the body was buffered to that
     * file).
     */
    Object call(String method, List<Object> args);
  }

  /** A PDK call as Kong's Lua saw it: the function and its Lua arguments. */
  public record PdkCall(String method, List<Object> args) {
    public PdkCall {
      args = Collections.unmodifiableList(new ArrayList<>(args));
    }
  }

  /** The PDK calls of one event, and whether it ended with {@code kong.response.exit}. */
  public record Event(List<PdkCall> calls, boolean exited) {
    public Event {
      calls = List.copyOf(calls);
    }
  }

  private final SocketChannel channel;
  private final KongService service;
  private long sequence = 1;
  private boolean reusable = true;

  private KongPbClient(SocketChannel channel, KongService service) {
    this.channel = channel;
    this.service = service;
  }

  /** Connects to a plugin server's socket. */
  public static KongPbClient connect(Path socket) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    return new KongPbClient(channel, KongService.load());
  }

  /**
   * Sends {@code cmd_start_instance} and returns the instance id the server gave.
   *
   * @throws IOException when the server closes the connection (it has no other way to refuse)
   */
  public int startInstance(String pluginName, String configJson) throws IOException {
    long seq = send(Map.of("cmd_start_instance", Map.of(
        "name", pluginName, "config", configJson.getBytes(StandardCharsets.UTF_8))));
    Map<String, Object> ret = readReturn(seq);
    if (!(ret.get("instance_status") instanceof Map<?, ?> status)
        || !(status.get("instance_id") instanceof Long id)) {
      throw new IOException("the RpcReturn of cmd_start_instance has no instance_status.instance_id");
    }
    return id.intValue();
  }

  /** Sends {@code cmd_close_instance}. */
  public void closeInstance(int instanceId) throws IOException {
    readReturn(send(Map.of("cmd_close_instance", Map.of("instance_id", instanceId))));
  }

  /**
   * Runs one event: sends {@code cmd_handle_event} and answers each PDK call with {@code pdk}
   * until the server ends the event (empty frame, then the {@code RpcReturn}) or calls {@code
   * kong.response.exit} (which {@code pdk} sees too; Kong then reads nothing more, and this
   * client cannot be used again, as Kong does not pool such a connection). When {@code pdk}
   * throws (a Lua error in Kong), the connection is closed, as Kong abandons it, and the
   * exception is rethrown.
   *
   * @throws IOException when the server closes the connection, as it does for an unknown
   *     instance id (Kong then starts the plugin afresh and retries), or breaks the protocol;
   *     the message names a PDK function the server called that Kong does not serve over ProtoBuf
   */
  public Event handleEvent(int instanceId, String phase, Pdk pdk) throws IOException {
    Objects.requireNonNull(pdk, "pdk");
    long seq = send(Map.of("cmd_handle_event", Map.of("instance_id", instanceId, "event_name", phase)));
    List<PdkCall> calls = new ArrayList<>();
    while (true) {
      byte[] name = readFrame();
      if (name.length == 0) {
        readReturn(seq);
        return new Event(calls, false);
      }
      String method = new String(name, StandardCharsets.UTF_8);
      byte[] argFrame = readFrame();
      KongService.Method rpc = service.find(method)
          .orElseThrow(() -> new IOException("method \"" + method + "\" not found"));
      PdkCall call = new PdkCall(method, KongPdk.unwrap(rpc, argFrame));
      calls.add(call);
      Object result = answer(pdk, call);
      if (method.equals("kong.response.exit")) {
        reusable = false; // Kong never reads this connection again; it closes at request end
        return new Event(calls, true);
      }
      writeFrame(KongPdk.wrap(rpc, result));
    }
  }

  /** Runs the call in Kong's place; a Lua error abandons the event and the connection, as in Kong. */
  private Object answer(Pdk pdk, PdkCall call) throws IOException {
    try {
      return pdk.call(call.method(), call.args());
    } catch (RuntimeException e) {
      reusable = false;
      channel.close();
      throw e;
    }
  }

  /** Returns whether the connection can carry another call (not after an exit or a Lua error). */
  public boolean reusable() {
    return reusable;
  }

  /** Returns the Lua names of the PDK functions Kong serves over ProtoBuf. */
  public List<String> functions() {
    return List.copyOf(service.all().keySet());
  }

  private long send(Map<String, Object> command) throws IOException {
    if (!reusable) {
      throw new IllegalStateException("the connection ended with kong.response.exit; connect again");
    }
    sequence++;
    Map<String, Object> call = new java.util.LinkedHashMap<>(command);
    call.put("sequence", sequence);
    writeFrame(Messages.RPC_CALL.encode(call));
    return sequence;
  }

  private Map<String, Object> readReturn(long expected) throws IOException {
    Map<String, Object> ret = Messages.RPC_RETURN.decode(readFrame());
    Object seq = ret.get("sequence");
    if (!(seq instanceof Long s) || s != expected) {
      throw new IOException("RpcReturn sequence " + seq + ", expected " + expected);
    }
    return ret;
  }

  private void writeFrame(byte[] payload) throws IOException {
    ByteBuffer out = ByteBuffer.allocate(4 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(payload.length).put(payload).flip();
    while (out.hasRemaining()) {
      channel.write(out);
    }
  }

  private byte[] readFrame() throws IOException {
    ByteBuffer header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    fill(header);
    ByteBuffer payload = ByteBuffer.allocate(header.flip().getInt());
    fill(payload);
    return payload.array();
  }

  private void fill(ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new EOFException("closed: the plugin server closed the connection");
      }
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
