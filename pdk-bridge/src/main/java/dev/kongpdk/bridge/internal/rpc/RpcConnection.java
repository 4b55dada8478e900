package dev.kongpdk.bridge.internal.rpc;

import dev.kongpdk.bridge.internal.RpcDispatcher;
import dev.kongpdk.bridge.internal.RpcError;
import dev.kongpdk.bridge.internal.ServerStats;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * Serves one connection from Kong: reads {@code [0, msgid, method, [param]]} requests one at a
 * time and writes one {@code [1, msgid, error, result]} response to each, as Kong's {@code
 * mp_rpc.lua} expects. Kong never pipelines, so one request is handled at a time per connection;
 * plugin code runs on event threads, never here.
 *
 * <p>A message that cannot be decoded closes this connection only (its byte stream cannot be
 * resynchronised); the server and the other connections carry on.
 */
public final class RpcConnection implements Runnable {

  private static final System.Logger LOG = System.getLogger(RpcConnection.class.getName());

  private final SocketChannel channel;
  private final RpcDispatcher dispatcher;
  private final MsgpackCodec codec;
  private final ServerStats stats;

  public RpcConnection(
      SocketChannel channel, RpcDispatcher dispatcher, MsgpackCodec codec, ServerStats stats) {
    this.channel = channel;
    this.dispatcher = dispatcher;
    this.codec = codec;
    this.stats = stats;
  }

  @Override
  public void run() {
    try (channel;
        // Reading the channel directly reuses one buffer; over an InputStream msgpack-core
        // allocates a new 8 KiB array for every read, i.e. every message.
        MessageUnpacker in = MessagePack.newDefaultUnpacker(channel);
        MessagePacker out = MessagePack.newDefaultPacker(Channels.newOutputStream(channel))) {
      serve(in, out);
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing a connection: " + e.getMessage());
    }
  }

  /** Answers requests until the connection ends; failures are counted before it is closed. */
  private void serve(MessageUnpacker in, MessagePacker out) {
    try {
      while (in.hasNext()) {
        Object message = codec.read(in);
        Request request = Request.parse(message);
        Object result;
        String error = null;
        try {
          result = dispatcher.dispatch(request.method(), request.param());
          if (result instanceof RpcDispatcher.RpcErrorResult failed) {
            error = failed.message();
            result = null;
          }
        } catch (RpcError e) {
          stats.rpcError();
          error = e.getMessage();
          result = null;
        }
        out.packArrayHeader(4);
        out.packInt(1);
        out.packLong(request.msgid());
        codec.write(out, error);
        codec.write(out, result);
        out.flush();
      }
    } catch (MalformedMessageException | MessagePackException e) {
      if (e instanceof MessageInsufficientBufferException) {
        LOG.log(Level.DEBUG, "connection closed by Kong inside a message");
      } else {
        stats.malformedMessage();
        LOG.log(Level.WARNING, "closing a connection after a malformed message: " + e.getMessage());
      }
    } catch (ClosedChannelException e) {
      LOG.log(Level.DEBUG, "connection closed");
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "connection failed: " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "closing a connection after an internal error", e);
    }
  }

  /** A decoded request {@code [0, msgid, method, params]}; params carries one element. */
  public record Request(long msgid, String method, Object param) {

    public static Request parse(Object message) throws MalformedMessageException {
      if (!(message instanceof List<?> list) || list.size() != 4) {
        throw new MalformedMessageException("expected a request [0, msgid, method, params]");
      }
      if (!(list.get(0) instanceof Long type) || type != 0) {
        throw new MalformedMessageException("expected a request (type 0), got " + list.get(0));
      }
      if (!(list.get(1) instanceof Long msgid)) {
        throw new MalformedMessageException("expected an integer msgid, got " + list.get(1));
      }
      if (!(list.get(2) instanceof String method)) {
        throw new MalformedMessageException("expected a method name, got " + list.get(2));
      }
      Object params = list.get(3);
      Object param = params instanceof List<?> args ? (args.isEmpty() ? null : args.get(0)) : params;
      return new Request(msgid, method, param);
    }
  }
}
