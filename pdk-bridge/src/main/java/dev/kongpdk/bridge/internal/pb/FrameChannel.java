package dev.kongpdk.bridge.internal.pb;

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
import java.util.function.Consumer;

/**
 * The frames of Kong's ProtoBuf protocol on one connection: a 4-byte little-endian unsigned
 * length, then that many bytes (Kong packs the length with {@code lua_pack} {@code "I"}, a native
 * unsigned int, little-endian on every platform Kong ships for). A zero-length frame is legal and
 * meaningful: it ends an event's call loop, and it is Kong's reply for a nil result.
 *
 * <p>The channel is non-blocking and a read that has to wait waits on this connection's own
 * selector: a thread blocked in a socket read is also woken each time Kong reads what this side
 * wrote (the kernel wakes every waiter on the socket then), an epoll wait only when there is
 * something to read. An interrupt during a wait closes the connection, as with a blocking channel.
 *
 * <p>Not thread-safe: the connection and its event take turns, see {@link PbEvent}.
 */
final class FrameChannel implements AutoCloseable {

  private final SocketChannel channel;
  private final int maxFrameBytes;
  /**
   * Bytes read from the socket and not yet returned, between position and limit. Kong sends a
   * frame's length and its bytes with two writes; reading through this buffer takes both (and
   * often the next frame) with one read when they have arrived.
   */
  private final ByteBuffer in = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN).flip();
  /** Reused for every write that fits, so a write allocates nothing. */
  private final ByteBuffer out = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);

  private static final int BUFFER_BYTES = 8192;
  /** Selecting with an action leaves the selected-key set alone: nothing to clear or allocate. */
  private static final Consumer<SelectionKey> READY = key -> { };
  /** Opened by the first read (and the write selector by the first write that must wait). */
  private volatile Selector readSelector;
  private volatile Selector writeSelector;

  FrameChannel(SocketChannel channel, int maxFrameBytes) {
    this.channel = channel;
    this.maxFrameBytes = maxFrameBytes;
  }

  /**
   * Reads one frame.
   *
   * @return the frame's bytes, or {@code null} when Kong closed the connection between frames
   * @throws EOFException when the connection ended inside a frame
   * @throws FrameTooLargeException when the length exceeds the limit
   */
  byte[] read() throws IOException {
    if (!buffer(4, true)) {
      return null;
    }
    long length = Integer.toUnsignedLong(in.getInt());
    if (length > maxFrameBytes) {
      throw new FrameTooLargeException(
          "a frame of " + length + " bytes exceeds the limit of " + maxFrameBytes);
    }
    byte[] frame = new byte[(int) length];
    int buffered = Math.min(in.remaining(), frame.length);
    in.get(frame, 0, buffered);
    if (buffered < frame.length) {
      // the rest goes straight into the frame, and no further: the buffer is empty now
      ByteBuffer rest = ByteBuffer.wrap(frame, buffered, frame.length - buffered);
      while (rest.hasRemaining()) {
        await(readSelector);
        if (channel.read(rest) < 0) {
          throw new EOFException("the connection ended inside a frame");
        }
      }
    }
    return frame;
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

  /**
   * Reads until at least {@code bytes} are buffered; returns false on end of input before the
   * first byte when allowed.
   */
  private boolean buffer(int bytes, boolean endAllowed) throws IOException {
    if (readSelector == null) {
      readSelector = selector(SelectionKey.OP_READ);
    }
    while (in.remaining() < bytes) {
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

  /** Opens a selector for {@code ops} on the channel, which becomes non-blocking. */
  private synchronized Selector selector(int ops) throws IOException {
    if (!channel.isOpen()) {
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

  /** Waits until {@code selector}'s channel is ready; an interrupt closes the connection. */
  private void await(Selector selector) throws IOException {
    try {
      if (!Thread.currentThread().isInterrupted()) {
        selector.select(READY);
      }
    } catch (ClosedSelectorException e) {
      throw new AsynchronousCloseException();
    }
    if (Thread.interrupted()) {
      close();
      throw new ClosedByInterruptException();
    }
  }

  /** Closes the connection; Kong sees it as {@code closed}. */
  @Override
  public void close() throws IOException {
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

  /** A frame longer than the server accepts; the connection cannot be resynchronised. */
  static final class FrameTooLargeException extends IOException {
    FrameTooLargeException(String message) {
      super(message);
    }
  }
}
