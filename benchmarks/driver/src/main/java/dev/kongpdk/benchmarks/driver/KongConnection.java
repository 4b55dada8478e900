package dev.kongpdk.benchmarks.driver;

import java.io.IOException;
import java.io.InputStream;
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
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * One connection to a plugin server, used the way Kong's {@code mp_rpc.lua} uses it: one request
 * {@code [0, msgid, method, [param]]} at a time, written in one piece, then its response read.
 */
final class KongConnection implements AutoCloseable {

  private final SocketChannel channel;
  private final MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
  private final MessageUnpacker unpacker;
  private long nextMsgId = 1;

  private KongConnection(SocketChannel channel) {
    this.channel = channel;
    InputStream in = Channels.newInputStream(channel);
    this.unpacker = MessagePack.newDefaultUnpacker(in);
  }

  static KongConnection open(Path socket) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    return new KongConnection(channel);
  }

  /** Sends one request and returns its result; an RPC error becomes {@link RpcFailure}. */
  Object call(String method, Object param) throws IOException {
    long msgid = nextMsgId++;
    packer.clear();
    packer.packArrayHeader(4);
    packer.packInt(0);
    packer.packLong(msgid);
    packer.packString(method);
    packer.packArrayHeader(1);
    write(param);
    ByteBuffer bytes = ByteBuffer.wrap(packer.toByteArray());
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
    int size = unpacker.unpackArrayHeader();
    if (size != 4 || unpacker.unpackInt() != 1) {
      throw new IOException("not a response to " + method);
    }
    long answered = unpacker.unpackLong();
    if (answered != msgid) {
      throw new IOException("response to msgid " + answered + ", expected " + msgid);
    }
    Object error = read();
    Object result = read();
    if (error != null) {
      throw new RpcFailure(method + ": " + error);
    }
    return result;
  }

  private void write(Object value) throws IOException {
    switch (value) {
      case null -> packer.packNil();
      case String s -> packer.packString(s);
      case Long l -> packer.packLong(l);
      case Integer i -> packer.packInt(i);
      case Boolean b -> packer.packBoolean(b);
      case Map<?, ?> map -> {
        packer.packMapHeader(map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
          packer.packString((String) e.getKey());
          write(e.getValue());
        }
      }
      case List<?> list -> {
        packer.packArrayHeader(list.size());
        for (Object element : list) {
          write(element);
        }
      }
      default -> throw new IllegalArgumentException("cannot write " + value.getClass());
    }
  }

  private Object read() throws IOException {
    MessageFormat format = unpacker.getNextFormat();
    return switch (format.getValueType()) {
      case NIL -> {
        unpacker.unpackNil();
        yield null;
      }
      case BOOLEAN -> unpacker.unpackBoolean();
      case INTEGER -> unpacker.unpackLong();
      case FLOAT -> unpacker.unpackDouble();
      case STRING -> unpacker.unpackString();
      case BINARY -> unpacker.readPayload(unpacker.unpackBinaryHeader());
      case ARRAY -> {
        int n = unpacker.unpackArrayHeader();
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          list.add(read());
        }
        yield list;
      }
      case MAP -> {
        int n = unpacker.unpackMapHeader();
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          map.put(String.valueOf(read()), read());
        }
        yield map;
      }
      default -> throw new IOException("unexpected " + format);
    };
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** The server answered with an RPC error. */
  static final class RpcFailure extends IOException {
    RpcFailure(String message) {
      super(message);
    }
  }
}
