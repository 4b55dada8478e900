package dev.kongpdk.benchmarks.driver;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One connection to a plugin server in Kong's ProtoBuf protocol, used the way Kong 3.x's {@code
 * pb_rpc.lua} uses it: frames of a 4-byte little-endian length and that many bytes; one {@code
 * RpcCall} per use, and a {@code cmd_handle_event} holds the connection for the whole event (the
 * server writes each PDK call as a method-name frame and an argument frame, Kong answers with one
 * result frame, until an empty frame and the {@code RpcReturn}).
 *
 * <p>The few messages the driver needs are written and read with protobuf-java's wire-format
 * streams, field numbers from Kong's {@code pluginsocket.proto}: {@code RpcCall.sequence = 1},
 * {@code cmd_start_instance = 33} ({@code name = 1}, {@code config = 2}), {@code cmd_handle_event
 * = 36} ({@code instance_id = 1}, {@code event_name = 2}); {@code RpcReturn.sequence = 1}, {@code
 * instance_status = 33} ({@code instance_id = 2}); {@code String.v = 1}.
 */
final class PbKongConnection implements AutoCloseable {

  private static final int SEQUENCE = 1;
  private static final int CMD_START_INSTANCE = 33;
  private static final int CMD_HANDLE_EVENT = 36;
  private static final int INSTANCE_STATUS = 33;
  private static final byte[] EMPTY = new byte[0];

  private final SocketChannel channel;
  private final ByteBuffer header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
  private long nextSequence = 1;

  private PbKongConnection(SocketChannel channel) {
    this.channel = channel;
  }

  static PbKongConnection open(Path socket) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    return new PbKongConnection(channel);
  }

  /** {@code cmd_start_instance}; returns the instance id of the {@code instance_status} answer. */
  int startInstance(String name, String config) throws IOException {
    long sequence = nextSequence++;
    ByteArrayOutputStream cmd = new ByteArrayOutputStream();
    CodedOutputStream c = CodedOutputStream.newInstance(cmd);
    c.writeString(1, name);
    c.writeByteArray(2, config.getBytes(StandardCharsets.UTF_8));
    c.flush();
    writeFrame(rpcCall(sequence, CMD_START_INSTANCE, cmd.toByteArray()));
    byte[] frame = readFrame();
    if (frame == null) {
      throw new KongConnection.RpcFailure("cmd_start_instance: the server closed the connection");
    }
    CodedInputStream in = CodedInputStream.newInstance(frame);
    long answered = -1;
    int id = -1;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case SEQUENCE -> answered = in.readInt64();
        case INSTANCE_STATUS -> {
          CodedInputStream status = CodedInputStream.newInstance(in.readByteArray());
          for (int t = status.readTag(); t != 0; t = status.readTag()) {
            if (WireFormat.getTagFieldNumber(t) == 2) {
              id = status.readInt32();
            } else {
              status.skipField(t);
            }
          }
        }
        default -> in.skipField(tag);
      }
    }
    if (answered != sequence || id <= 0) {
      throw new IOException("unexpected RpcReturn to cmd_start_instance: sequence " + answered
          + ", instance " + id);
    }
    return id;
  }

  /**
   * Runs one event: {@code cmd_handle_event}, then answers each PDK call with a canned result
   * until the server ends the event. Each round trip (a frame sent to the next method-name or end
   * frame received) is recorded in {@code rtts} when it is not null.
   *
   * @return false when the handler called {@code kong.response.exit} (Kong then stops reading
   *     this connection, so it must not be used again)
   */
  boolean handleEvent(int instance, String eventName, String host, Samples rtts)
      throws IOException {
    long sequence = nextSequence++;
    ByteArrayOutputStream cmd = new ByteArrayOutputStream(32);
    CodedOutputStream c = CodedOutputStream.newInstance(cmd);
    c.writeInt32(1, instance);
    c.writeString(2, eventName);
    c.flush();
    byte[] out = rpcCall(sequence, CMD_HANDLE_EVENT, cmd.toByteArray());
    while (true) {
      long start = System.nanoTime();
      writeFrame(out);
      byte[] method = readFrame();
      if (rtts != null) {
        rtts.add(System.nanoTime() - start);
      }
      if (method == null) {
        throw new EOFException("the server closed the connection during an event");
      }
      if (method.length == 0) {
        break;
      }
      readFrame(); // the argument message: Kong decodes it; the canned answer does not need it
      String name = new String(method, StandardCharsets.UTF_8);
      switch (name) {
        case "kong.response.exit" -> {
          return false; // Kong never answers it
        }
        case "kong.request.get_header" -> out = stringMessage(host);
        default -> out = EMPTY; // setters: Kong answers an Empty message
      }
    }
    byte[] ret = readFrame();
    if (ret == null) {
      throw new EOFException("the server closed the connection before its RpcReturn");
    }
    CodedInputStream in = CodedInputStream.newInstance(ret);
    long answered = -1;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == SEQUENCE) {
        answered = in.readInt64();
      } else {
        in.skipField(tag);
      }
    }
    if (answered != sequence) {
      throw new IOException("RpcReturn for sequence " + answered + ", expected " + sequence);
    }
    return true;
  }

  private static byte[] rpcCall(long sequence, int field, byte[] command) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(command.length + 16);
    CodedOutputStream c = CodedOutputStream.newInstance(bytes);
    c.writeInt64(SEQUENCE, sequence);
    c.writeByteArray(field, command);
    c.flush();
    return bytes.toByteArray();
  }

  private static byte[] stringMessage(String value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length() + 4);
    CodedOutputStream c = CodedOutputStream.newInstance(bytes);
    c.writeByteArray(1, value.getBytes(StandardCharsets.UTF_8));
    c.flush();
    return bytes.toByteArray();
  }

  private void writeFrame(byte[] frame) throws IOException {
    ByteBuffer out = ByteBuffer.allocate(4 + frame.length).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(frame.length).put(frame).flip();
    while (out.hasRemaining()) {
      channel.write(out);
    }
  }

  /** Reads one frame; null when the server closed the connection between frames. */
  private byte[] readFrame() throws IOException {
    header.clear();
    while (header.hasRemaining()) {
      if (channel.read(header) < 0) {
        if (header.position() == 0) {
          return null;
        }
        throw new EOFException("the connection ended inside a frame header");
      }
    }
    int length = header.flip().getInt();
    if (length < 0 || length > (64 << 20)) {
      throw new IOException("implausible frame length " + Integer.toUnsignedLong(length));
    }
    ByteBuffer body = ByteBuffer.allocate(length);
    while (body.hasRemaining()) {
      if (channel.read(body) < 0) {
        throw new EOFException("the connection ended inside a frame");
      }
    }
    return body.array();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
