package dev.kongpdk.bridge;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.CmdCloseInstance;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.CmdHandleEvent;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.CmdStartInstance;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.RpcCall;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.RpcReturn;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One connection playing Kong's side of the ProtoBuf protocol in tests, as Kong's {@code
 * pb_rpc.lua} does: sequence numbers from 2, one frame per RpcCall, the event's call loop on the
 * same connection. Its framing is written here, independent of the server's.
 */
final class KongPbWire implements AutoCloseable {

  /** One PDK call the server made: the method-name frame and the argument frame. */
  record PdkCall(String method, byte[] args) {
    <T extends Message> T args(com.google.protobuf.Parser<T> parser) throws InvalidProtocolBufferException {
      return parser.parseFrom(args);
    }
  }

  private final SocketChannel channel;
  private final DataInputStream in;
  private long sequence = 1;
  private long eventSequence;

  KongPbWire(Path socket) throws IOException {
    channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    channel.connect(UnixDomainSocketAddress.of(socket));
    in = new DataInputStream(Channels.newInputStream(channel));
  }

  /** Returns the raw input, for framing tests. */
  InputStream rawInput() {
    return in;
  }

  void writeFrame(byte[] payload) throws IOException {
    ByteBuffer out = ByteBuffer.allocate(4 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(payload.length).put(payload).flip();
    while (out.hasRemaining()) {
      channel.write(out);
    }
  }

  /** Writes raw bytes, for framing tests. */
  void rawWrite(byte[] bytes) throws IOException {
    ByteBuffer out = ByteBuffer.wrap(bytes);
    while (out.hasRemaining()) {
      channel.write(out);
    }
  }

  /** Reads one frame: 4 bytes little-endian length, then the payload. */
  byte[] readFrame() throws IOException {
    byte[] header = new byte[4];
    in.readFully(header);
    int length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
    byte[] payload = new byte[length];
    in.readFully(payload);
    return payload;
  }

  /** Sends an RpcCall with the next sequence number; returns that number. */
  long send(RpcCall.Builder call) throws IOException {
    sequence++;
    writeFrame(call.setSequence(sequence).build().toByteArray());
    return sequence;
  }

  /** Reads an RpcReturn and checks that it echoes {@code expected}, as Kong asserts. */
  RpcReturn readReturn(long expected) throws IOException {
    RpcReturn ret = RpcReturn.parseFrom(readFrame());
    if (ret.getSequence() != expected) {
      throw new AssertionError("RpcReturn sequence " + ret.getSequence() + ", expected " + expected);
    }
    return ret;
  }

  int startInstance(String name, String config) throws IOException {
    long seq = send(RpcCall.newBuilder().setCmdStartInstance(CmdStartInstance.newBuilder()
        .setName(name)
        .setConfig(com.google.protobuf.ByteString.copyFromUtf8(config))));
    return readReturn(seq).getInstanceStatus().getInstanceId();
  }

  RpcReturn closeInstance(int id) throws IOException {
    long seq = send(RpcCall.newBuilder()
        .setCmdCloseInstance(CmdCloseInstance.newBuilder().setInstanceId(id)));
    return readReturn(seq);
  }

  /** Sends cmd_handle_event; the server's PDK calls follow ({@link #nextCall}). */
  void handleEvent(int instanceId, String phase) throws IOException {
    eventSequence = send(RpcCall.newBuilder().setCmdHandleEvent(
        CmdHandleEvent.newBuilder().setInstanceId(instanceId).setEventName(phase)));
  }

  /**
   * Reads the server's next PDK call, or {@code null} when it sent the empty frame that ends the
   * event (then the RpcReturn is read and checked as well).
   */
  PdkCall nextCall() throws IOException {
    byte[] method = readFrame();
    if (method.length == 0) {
      readReturn(eventSequence);
      return null;
    }
    return new PdkCall(new String(method, StandardCharsets.UTF_8), readFrame());
  }

  /** Expects a PDK call of {@code method} and returns it. */
  PdkCall expectCall(String method) throws IOException {
    PdkCall call = nextCall();
    if (call == null || !call.method().equals(method)) {
      throw new AssertionError("expected a call of " + method + ", got "
          + (call == null ? "the end of the event" : call.method()));
    }
    return call;
  }

  /** Expects the end of the event: the empty frame and the RpcReturn. */
  void expectEnd() throws IOException {
    PdkCall call = nextCall();
    if (call != null) {
      throw new AssertionError("expected the end of the event, got a call of " + call.method());
    }
  }

  void reply(Message message) throws IOException {
    writeFrame(message.toByteArray());
  }

  /** Kong's reply for a nil result or an empty message. */
  void replyEmpty() throws IOException {
    writeFrame(new byte[0]);
  }

  /** Returns whether the server closed the connection (end of input, or a reset). */
  boolean closedByServer() {
    try {
      return in.read() < 0;
    } catch (EOFException e) {
      return true;
    } catch (IOException e) {
      return true;
    }
  }

  /** Stops sending, as Kong's request end does; the server sees end of input. */
  void shutdownOutput() throws IOException {
    channel.shutdownOutput();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
