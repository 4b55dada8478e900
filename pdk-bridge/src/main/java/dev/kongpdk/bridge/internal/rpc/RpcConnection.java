package dev.kongpdk.bridge.internal.rpc;

import dev.kongpdk.bridge.internal.limits.OverLimitException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.core.buffer.MessageBuffer;
import org.msgpack.core.buffer.MessageBufferInput;

/**
 * One connection from Kong, speaking the MessagePack-RPC of Kong's {@code mp_rpc.lua}: it reads
 * {@code [0, msgid, method, [param]]} requests and writes one {@code [1, msgid, error, result]}
 * response to each. Kong never pipelines, so a connection carries one request at a time.
 *
 * <p>Whichever thread waits for Kong on this connection reads it (one at a time; the server's
 * threads hand the reading on with the messages they read). The channel is non-blocking and waits
 * go through this connection's own selector, so a thread waiting here for Kong can also be woken
 * by {@link #wakeup()} when what it waits for arrives on another connection.
 */
public final class RpcConnection implements AutoCloseable {

  private final SocketChannel channel;
  private final Selector selector;
  private final MsgpackCodec codec;
  private final Input input;
  private final MessageUnpacker in;
  private final MessagePacker out;
  private final StringCache strings = new StringCache();
  private final MsgpackCodec.Reading reading;
  private final long readTimeoutNanos;
  /** When the message being read started ({@link System#nanoTime()}). */
  private long messageStart;
  /** Selecting with an action leaves the selected-key set alone: nothing to clear or allocate. */
  private static final Consumer<SelectionKey> READY = key -> { };

  // The keys of every event answer, encoded once.
  private static final byte[] EVENT_ID = utf8("EventId");
  private static final byte[] DATA = utf8("Data");
  private static final byte[] METHOD = utf8("Method");
  private static final byte[] ARGS = utf8("Args");
  private static final byte[] RET = utf8("ret");

  /** The PDK function names this connection has sent, encoded (Kong's PDK has a few hundred). */
  private final Map<String, byte[]> methodNames = new HashMap<>();
  /** Created when a write does not fit in the socket's buffer at once. */
  private Selector writeSelector;

  /**
   * Serves {@code channel}, decoding with {@code codec}; a message that has started must arrive
   * completely within {@code readTimeout}, or the connection fails. Between messages there is no
   * deadline: Kong keeps idle connections in its pool.
   */
  public RpcConnection(SocketChannel channel, MsgpackCodec codec, Duration readTimeout)
      throws IOException {
    this(channel, codec, readTimeout, ByteBuffer.allocate(0));
  }

  /**
   * As above, for a connection from which {@code firstBytes} (position to limit, a heap buffer)
   * have been read already: they are read first.
   */
  public RpcConnection(SocketChannel channel, MsgpackCodec codec, Duration readTimeout,
      ByteBuffer firstBytes) throws IOException {
    this.channel = channel;
    this.codec = codec;
    this.reading = codec.newReading();
    this.readTimeoutNanos = readTimeout.toNanos();
    channel.configureBlocking(false);
    this.selector = Selector.open();
    try {
      channel.register(selector, SelectionKey.OP_READ);
    } catch (IOException | RuntimeException e) {
      selector.close();
      throw e;
    }
    this.input = new Input(firstBytes);
    this.in = MessagePack.newDefaultUnpacker(input);
    this.out = MessagePack.newDefaultPacker(new Output());
  }

  /**
   * Waits until a request starts to arrive or {@link #wakeup()} is called.
   *
   * @return true when there is something to read, false when woken (or spuriously)
   * @throws IOException when the connection has been closed
   */
  public boolean awaitRequest() throws IOException {
    if (input.pending()) {
      return true; // bytes already read from the socket and not yet decoded
    }
    Thread.interrupted(); // an interrupt would make every select return at once
    try {
      return selector.select(READY) > 0;
    } catch (ClosedSelectorException e) {
      throw new IOException("connection closed", e);
    }
  }

  /** Waits at most {@code timeout} until a request starts to arrive; false when none did. */
  public boolean awaitRequest(Duration timeout) throws IOException {
    if (input.pending()) {
      return true;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
        Thread.interrupted();
        if (selector.select(READY, Math.max(1, left / 1_000_000)) > 0) {
          return true;
        }
      }
      return false;
    } catch (ClosedSelectorException e) {
      throw new IOException("connection closed", e);
    }
  }

  /**
   * Returns, without waiting, whether anything has arrived to be read, the end of input included;
   * true too when the connection has been closed. Only for a connection nobody is reading.
   */
  public boolean inputPending() {
    if (input.pending()) {
      return true;
    }
    try {
      return selector.selectNow(READY) > 0;
    } catch (IOException | ClosedSelectorException e) {
      return true;
    }
  }

  /** Makes a thread waiting in {@link #awaitRequest()} return, or the next call to it. */
  public void wakeup() {
    selector.wakeup();
  }

  /**
   * Reads the next request, waiting for all of its bytes.
   *
   * @return the request, or null when Kong closed the connection between requests
   * <p>The request holds its share of the server's memory budget until {@link #released()}.
   *
   * @throws MalformedMessageException when the bytes are not a request the server accepts
   * @throws OverLimitException when the message is larger than the server's limits allow
   * @throws ReadTimeoutException when the message does not arrive completely within the deadline
   * @throws IOException when the connection fails or ends inside a message
   */
  public Request read() throws IOException {
    messageStart = System.nanoTime();
    if (!in.hasNext()) {
      return null;
    }
    return Request.parse(codec.read(in, strings, reading));
  }

  /** Gives back the share of the memory budget the last request read holds. */
  public void released() {
    reading.release();
  }

  /** Answers request {@code msgid} with {@code result}, or with the RPC error {@code error}. */
  public void reply(long msgid, String error, Object result) throws IOException {
    header(msgid);
    codec.write(out, error);
    codec.write(out, result);
    out.flush();
  }

  /** Answers request {@code msgid}: event {@code eventId} calls {@code method} with {@code args}. */
  public void replyCall(long msgid, long eventId, String method, List<Object> args)
      throws IOException {
    eventAnswer(msgid, eventId);
    out.packMapHeader(2);
    packUtf8(METHOD);
    byte[] name = methodNames.get(method);
    if (name == null) {
      name = utf8(method);
      if (methodNames.size() < 256) {
        methodNames.put(method, name);
      }
    }
    packUtf8(name);
    packUtf8(ARGS);
    codec.write(out, args);
    out.flush();
  }

  /** Answers request {@code msgid}: the handler of event {@code eventId} has returned. */
  public void replyDone(long msgid, long eventId) throws IOException {
    eventAnswer(msgid, eventId);
    packUtf8(RET);
    out.flush();
  }

  private void header(long msgid) throws IOException {
    out.packArrayHeader(4);
    out.packInt(1);
    out.packLong(msgid);
  }

  /** Starts {@code [1, msgid, nil, {EventId = eventId, Data = ...}]}; the caller writes Data. */
  private void eventAnswer(long msgid, long eventId) throws IOException {
    header(msgid);
    out.packNil();
    out.packMapHeader(2);
    packUtf8(EVENT_ID);
    out.packLong(eventId);
    packUtf8(DATA);
  }

  private void packUtf8(byte[] text) throws IOException {
    out.packRawStringHeader(text.length);
    out.writePayload(text);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Stops reading: the next read sees the end of input (used to drain at shutdown). */
  public void shutdownInput() throws IOException {
    channel.shutdownInput();
  }

  /** Closes the connection; a thread waiting in {@link #awaitRequest()} returns with an error. */
  @Override
  public void close() throws IOException {
    released();
    try {
      selector.close();
      if (writeSelector != null) {
        writeSelector.close();
      }
    } finally {
      channel.close();
    }
  }

  /**
   * Waits on the selector until the channel is readable; used inside a message, which must have
   * arrived completely within the read timeout of its start.
   */
  private void awaitReadable() throws IOException {
    Thread.interrupted();
    long left = readTimeoutNanos - (System.nanoTime() - messageStart);
    if (left <= 0) {
      throw new ReadTimeoutException("a message started " + readTimeoutNanos / 1_000_000
          + " ms ago has not arrived completely (" + (in.getTotalReadBytes() - reading.start())
          + " bytes so far)");
    }
    try {
      selector.select(READY, Math.max(1, left / 1_000_000));
    } catch (ClosedSelectorException e) {
      throw new IOException("connection closed", e);
    }
  }

  /** A message started and did not arrive completely within the read timeout. */
  public static final class ReadTimeoutException extends IOException {
    ReadTimeoutException(String message) {
      super(message);
    }
  }

  /**
   * Feeds the unpacker from the channel through one reused buffer, waiting on the selector while
   * nothing has arrived.
   */
  private final class Input implements MessageBufferInput {
    private final byte[] array = new byte[8192];
    private final ByteBuffer buffer = ByteBuffer.wrap(array);
    private final MessageBuffer[] views = new MessageBuffer[257];
    /** Bytes given to the unpacker so far; compared with what it has consumed. */
    long handedOut;
    /** Bytes read from the socket before this connection was set up, not yet given; or null. */
    private ByteBuffer first;

    Input(ByteBuffer first) {
      this.first = first.hasRemaining() ? first : null;
    }

    /** Whether bytes read from the socket have not been decoded yet. */
    boolean pending() {
      return first != null || handedOut > in.getTotalReadBytes();
    }

    @Override
    public MessageBuffer next() throws IOException {
      if (first != null) {
        ByteBuffer bytes = first;
        first = null;
        handedOut += bytes.remaining();
        return MessageBuffer.wrap(bytes.array(), bytes.arrayOffset() + bytes.position(),
            bytes.remaining());
      }
      buffer.clear();
      while (true) {
        int n = channel.read(buffer);
        if (n > 0) {
          handedOut += n;
          return view(n);
        }
        if (n < 0) {
          return null;
        }
        awaitReadable();
      }
    }

    /** A view of the first {@code n} bytes; views of small sizes are kept (requests repeat sizes). */
    private MessageBuffer view(int n) {
      if (n >= views.length) {
        return MessageBuffer.wrap(array, 0, n);
      }
      MessageBuffer view = views[n];
      if (view == null) {
        view = MessageBuffer.wrap(array, 0, n);
        views[n] = view;
      }
      return view;
    }

    @Override
    public void close() {
      // the connection closes the channel
    }
  }

  /** Writes the packer's bytes to the non-blocking channel, waiting while its buffer is full. */
  private final class Output extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
      while (buffer.hasRemaining()) {
        if (channel.write(buffer) == 0) {
          awaitWritable();
        }
      }
    }

    private void awaitWritable() throws IOException {
      if (writeSelector == null) {
        writeSelector = Selector.open();
        channel.register(writeSelector, SelectionKey.OP_WRITE);
      }
      Thread.interrupted();
      try {
        writeSelector.select(READY);
      } catch (ClosedSelectorException e) {
        throw new IOException("connection closed", e);
      }
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
