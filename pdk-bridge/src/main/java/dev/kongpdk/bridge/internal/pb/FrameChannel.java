package dev.kongpdk.bridge.internal.pb;

import dev.kongpdk.bridge.internal.limits.MemoryBudget;
import dev.kongpdk.bridge.internal.limits.OverLimitException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The frames of Kong's ProtoBuf protocol on one connection: a 4-byte little-endian unsigned
 * length, then that many bytes (Kong packs the length with {@code lua_pack} {@code "I"}, a native
 * unsigned int, little-endian on every platform Kong ships for). A zero-length frame is legal and
 * meaningful: it ends an event's call loop, and it is Kong's reply for a nil result.
 *
 * <p>Reads go through a small buffer: Kong sends a frame's length and its bytes with two writes,
 * and one read takes both (often the next frame too) when they have arrived. The channel is
 * non-blocking and a read that has to wait waits on this connection's own selector (an epoll
 * wait, woken only when there is something to read, where a thread blocked in a socket read is
 * also woken each time Kong reads what this side wrote). Writes that fit go through one reused
 * buffer, so a write allocates nothing. An interrupt during a wait closes the connection, as with
 * a blocking channel.
 *
 * <p>A frame is bounded: by the largest frame accepted, by the memory budget shared with all
 * connections (reserved when its length has been read, before anything is allocated for it, and
 * released when the next frame is read or the connection closes), and by the read deadline of a
 * frame that has started. The reading thread enforces the deadline itself: its waits are timed
 * while a frame is incomplete, and idle time between frames has no deadline. Its array grows as
 * its bytes arrive (at most {@value #CHUNK} bytes before they do), so a length alone allocates
 * little; what the buffer already holds is at most {@value #BUFFER_BYTES} bytes.
 *
 * <p>Not thread-safe: the connection and its event take turns, see {@link PbEvent}; only {@link
 * #close()} and {@link #inputPending()} (under the event's lock) come from another thread.
 */
final class FrameChannel implements AutoCloseable {

  private static final int CHUNK = 64 * 1024;
  private static final int BUFFER_BYTES = 8192;
  /** Selecting with an action leaves the selected-key set alone: nothing to clear or allocate. */
  private static final Consumer<SelectionKey> READY = key -> { };

  private final SocketChannel channel;
  private final int maxFrameBytes;
  private final long maxDecodedBytes;
  private final MemoryBudget budget;
  private final long readTimeoutNanos;
  private final Runnable onExpire;
  /** Bytes read from the socket and not yet returned, between position and limit. */
  private final ByteBuffer in =
      ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN).flip();
  /** Reused for every write that fits. */
  private final ByteBuffer out =
      ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  /** What the last frame holds of the budget (released by whichever thread gets to it first). */
  private final AtomicLong reserved = new AtomicLong();
  /** The deadline of the read in progress ({@link System#nanoTime()}), 0 between frames. */
  private long deadline;
  private volatile boolean closed;
  /** Opened by the first read (and the write selector by the first write that must wait). */
  private volatile Selector readSelector;
  private volatile Selector writeSelector;

  /**
   * Frames on {@code channel}; {@code onExpire} runs (to count and log) when a started frame is
   * past its deadline, just before the connection is closed.
   */
  FrameChannel(SocketChannel channel, int maxFrameBytes, long maxDecodedBytes, MemoryBudget budget,
      Duration readTimeout, Runnable onExpire) {
    this.channel = channel;
    this.maxFrameBytes = maxFrameBytes;
    this.maxDecodedBytes = maxDecodedBytes;
    this.budget = budget;
    this.readTimeoutNanos = readTimeout.toNanos();
    this.onExpire = onExpire;
  }

  /**
   * Puts {@code bytes} (position to limit, at most the read buffer's size), read from the socket
   * before this channel was set up, where the first read finds them.
   */
  void alreadyRead(ByteBuffer bytes) {
    if (bytes.remaining() > in.capacity()) {
      throw new IllegalArgumentException(bytes.remaining() + " bytes read already, more than the"
          + " read buffer's " + in.capacity());
    }
    in.clear();
    in.put(bytes);
    in.flip();
  }

  /** Returns the socket these frames travel on. */
  SocketChannel channel() {
    return channel;
  }

  /**
   * Reads one frame.
   *
   * @return the frame's bytes, or {@code null} when Kong closed the connection between frames
   * @throws EOFException when the connection ended inside a frame
   * @throws OverLimitException when the length exceeds the limit or the shared budget
   * @throws ReadTimeoutException when a started frame did not arrive in time
   */
  byte[] read() throws IOException {
    return read(0);
  }

  /**
   * Reads the first frame, which must arrive completely within {@code timeout} (a shed connection
   * must send its request at once).
   */
  byte[] readFirst(Duration timeout) throws IOException {
    return read(System.nanoTime() + timeout.toNanos());
  }

  private byte[] read(long firstDeadline) throws IOException {
    release();
    deadline = firstDeadline;
    try {
      if (!buffer(4, true)) {
        return null;
      }
      long length = Integer.toUnsignedLong(in.getInt());
      if (length > maxFrameBytes) {
        throw new OverLimitException(
            "a frame of " + length + " bytes exceeds the limit of " + maxFrameBytes);
      }
      if (!hold(length)) {
        throw new OverLimitException("a frame of " + length + " bytes: the messages of all"
            + " connections would hold more than " + budget.capacity() + " bytes");
      }
      if (closed) {
        throw new AsynchronousCloseException();
      }
      return body((int) length);
    } finally {
      deadline = 0;
    }
  }

  /** The frame's bytes: first what the buffer holds, then straight from the socket. */
  private byte[] body(int length) throws IOException {
    byte[] bytes = new byte[Math.min(length, CHUNK)];
    int filled = Math.min(in.remaining(), length);
    in.get(bytes, 0, filled);
    if (filled < length) {
      startDeadline();
    }
    while (filled < length) {
      if (filled == bytes.length) {
        bytes = Arrays.copyOf(bytes, (int) Math.min(length, 2L * bytes.length));
      }
      ByteBuffer part = ByteBuffer.wrap(bytes, filled, bytes.length - filled);
      await(readSelector);
      if (channel.read(part) < 0) {
        throw new EOFException("the connection ended inside a frame");
      }
      filled = part.position();
    }
    return bytes;
  }

  /**
   * Reads until at least {@code bytes} are buffered; returns false on end of input before the
   * first byte when allowed. Once a frame has started, its waits are under the read deadline.
   */
  private boolean buffer(int bytes, boolean endAllowed) throws IOException {
    if (readSelector == null) {
      readSelector = selector(SelectionKey.OP_READ);
    }
    while (in.remaining() < bytes) {
      if (in.hasRemaining()) {
        startDeadline();
      }
      // What is missing has not arrived when the buffer runs short: wait first, then read
      // (a read that finds nothing would be one more system call).
      await(readSelector);
      in.compact();
      int n;
      try {
        n = channel.read(in);
      } finally {
        in.flip();
      }
      if (n < 0) {
        if (endAllowed && !in.hasRemaining()) {
          return false;
        }
        throw new EOFException("the connection ended inside a frame");
      }
    }
    return true;
  }

  private void startDeadline() {
    if (deadline == 0) {
      deadline = System.nanoTime() + readTimeoutNanos;
    }
  }

  /**
   * Returns, without waiting, whether anything has arrived to be read, the end of input included;
   * true too when the connection has been closed. Only while nobody reads the connection.
   */
  boolean inputPending() {
    if (in.hasRemaining()) {
      return true;
    }
    Selector selector = readSelector;
    if (selector == null) {
      return false;
    }
    try {
      return selector.selectNow(READY) > 0;
    } catch (IOException | ClosedSelectorException e) {
      return true;
    }
  }

  /** Writes frames with one gathering write: Kong reads them in order. */
  void write(byte[]... frames) throws IOException {
    int size = 0;
    for (byte[] frame : frames) {
      size += 4 + frame.length;
    }
    ByteBuffer buffer = size <= out.capacity()
        ? out.clear()
        : ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[] frame : frames) {
      buffer.putInt(frame.length).put(frame);
    }
    buffer.flip();
    while (buffer.hasRemaining()) {
      if (channel.write(buffer) == 0) {
        if (writeSelector == null) {
          writeSelector = selector(SelectionKey.OP_WRITE);
        }
        await(writeSelector);
      }
    }
  }

  /** Opens a selector for {@code ops} on the channel, which becomes non-blocking. */
  private synchronized Selector selector(int ops) throws IOException {
    if (closed || !channel.isOpen()) {
      throw new AsynchronousCloseException();
    }
    channel.configureBlocking(false);
    Selector selector = Selector.open();
    try {
      channel.register(selector, ops);
    } catch (IOException | RuntimeException e) {
      selector.close();
      throw e;
    }
    return selector;
  }

  /**
   * Waits until {@code selector}'s channel is ready, at most until the deadline of a started
   * frame; an interrupt closes the connection, and so does the deadline.
   */
  private void await(Selector selector) throws IOException {
    try {
      if (!Thread.currentThread().isInterrupted()) {
        if (deadline == 0) {
          selector.select(READY);
        } else {
          long left = deadline - System.nanoTime();
          if (left <= 0 || selector.select(READY, Math.max(1, left / 1_000_000)) == 0
              && System.nanoTime() - deadline >= 0) {
            expire();
          }
        }
      }
    } catch (ClosedSelectorException e) {
      throw new AsynchronousCloseException();
    }
    if (Thread.interrupted()) {
      close();
      throw new ClosedByInterruptException();
    }
  }

  /**
   * Charges the last frame read with {@code decodedBytes}, the estimated heap of its parsed
   * objects ({@link DecodedSize}), in place of its wire size, until the next frame is read or the
   * connection closes; call it before parsing the frame.
   *
   * @throws OverLimitException when the estimate exceeds the limit of one message decoded or the
   *     shared budget
   */
  void holdDecoded(long decodedBytes) throws OverLimitException {
    if (decodedBytes > maxDecodedBytes) {
      throw new OverLimitException("a frame decodes to about " + decodedBytes
          + " bytes of objects, more than the limit of " + maxDecodedBytes);
    }
    long more = decodedBytes - reserved.get();
    if (more <= 0) {
      return;
    }
    if (!hold(more)) {
      throw new OverLimitException("a frame decoding to about " + decodedBytes + " bytes of"
          + " objects: the messages of all connections would hold more than " + budget.capacity()
          + " bytes");
    }
  }

  /**
   * Adds {@code bytes} to what the last frame holds in the shared budget; false when the budget
   * cannot take them.
   */
  private boolean hold(long bytes) {
    if (!budget.tryReserve(bytes)) {
      return false;
    }
    reserved.addAndGet(bytes);
    if (closed) { // closed from another thread meanwhile: give it back here
      release();
    }
    return true;
  }

  /** A started frame is past its deadline: counted, logged and closed. */
  private void expire() throws IOException {
    onExpire.run();
    close();
    throw new ReadTimeoutException("a frame did not arrive completely within "
        + readTimeoutNanos / 1_000_000 + " ms of its start");
  }

  /** Gives back what the last frame reserved. */
  private void release() {
    long held = reserved.getAndSet(0);
    if (held > 0) {
      budget.release(held);
    }
  }

  /**
   * Closes the connection (Kong sees it as {@code closed}) and gives back its share of the budget;
   * a thread waiting to read or write it returns. Any thread may call it, more than once.
   */
  @Override
  public void close() throws IOException {
    closed = true;
    release();
    try {
      closeSelectors();
    } finally {
      channel.close();
    }
  }

  private synchronized void closeSelectors() throws IOException {
    try {
      if (readSelector != null) {
        readSelector.close();
      }
    } finally {
      if (writeSelector != null) {
        writeSelector.close();
      }
    }
  }

  /** A started frame did not arrive completely within the read timeout. */
  static final class ReadTimeoutException extends IOException {
    ReadTimeoutException(String message) {
      super(message);
    }
  }
}
