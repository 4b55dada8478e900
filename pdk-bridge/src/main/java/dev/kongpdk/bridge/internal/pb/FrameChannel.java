package dev.kongpdk.bridge.internal.pb;

import dev.kongpdk.bridge.internal.limits.MemoryBudget;
import dev.kongpdk.bridge.internal.limits.OverLimitException;
import dev.kongpdk.bridge.internal.limits.ReadDeadlines;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;

/**
 * The frames of Kong's ProtoBuf protocol on one connection: a 4-byte little-endian unsigned
 * length, then that many bytes (Kong packs the length with {@code lua_pack} {@code "I"}, a native
 * unsigned int, little-endian on every platform Kong ships for). A zero-length frame is legal and
 * meaningful: it ends an event's call loop, and it is Kong's reply for a nil result.
 *
 * <p>A frame is bounded: by the largest frame accepted, by the memory budget shared with all
 * connections (reserved when its length arrives, released when the next frame is read), and by
 * the read deadline of a frame that has started. Its buffer grows as its bytes arrive, so a
 * length alone allocates nothing.
 *
 * <p>Not thread-safe: the connection and its event take turns, see {@link PbEvent}.
 */
final class FrameChannel implements AutoCloseable, ReadDeadlines.Reader {

  private static final int CHUNK = 64 * 1024;

  private final SocketChannel channel;
  private final int maxFrameBytes;
  private final MemoryBudget budget;
  private final ReadDeadlines deadlines;
  private final long readTimeoutNanos;
  private final ByteBuffer header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
  /** What the last frame holds of the budget. */
  private long reserved;
  /** The deadline of the read in progress ({@link System#nanoTime()}), 0 between frames. */
  private volatile long deadline;
  private volatile boolean expired;
  private final Runnable onExpire;

  /**
   * Frames on {@code channel}; {@code onExpire} runs (to count and log) when a started frame is
   * past its deadline, just before the connection is closed.
   */
  FrameChannel(SocketChannel channel, int maxFrameBytes, MemoryBudget budget,
      ReadDeadlines deadlines, Duration readTimeout, Runnable onExpire) {
    this.channel = channel;
    this.onExpire = onExpire;
    this.maxFrameBytes = maxFrameBytes;
    this.budget = budget;
    this.deadlines = deadlines;
    this.readTimeoutNanos = readTimeout.toNanos();
    deadlines.register(this);
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
    release();
    header.clear();
    try {
      if (!fill(header, true)) {
        return null;
      }
      long length = Integer.toUnsignedLong(header.flip().getInt());
      if (length > maxFrameBytes) {
        throw new OverLimitException(
            "a frame of " + length + " bytes exceeds the limit of " + maxFrameBytes);
      }
      if (!budget.tryReserve(length)) {
        throw new OverLimitException("a frame of " + length + " bytes: the messages of all"
            + " connections would hold more than " + budget.capacity() + " bytes");
      }
      reserved = length;
      return body((int) length);
    } catch (IOException e) {
      if (expired) {
        throw new ReadTimeoutException("a frame did not arrive completely within "
            + readTimeoutNanos / 1_000_000 + " ms of its start");
      }
      throw e;
    } finally {
      deadline = 0;
    }
  }

  /**
   * Reads the first frame, which must arrive completely within {@code timeout} (a shed connection
   * must send its request at once).
   */
  byte[] readFirst(Duration timeout) throws IOException {
    deadline = System.nanoTime() + timeout.toNanos();
    return read();
  }

  @Override
  public long deadline() {
    return deadline;
  }

  @Override
  public void expire() {
    expired = true;
    onExpire.run();
    try {
      channel.close();
    } catch (IOException e) {
      // the blocked read ends either way
    }
  }

  private byte[] body(int length) throws IOException {
    if (length <= CHUNK) {
      ByteBuffer body = ByteBuffer.allocate(length);
      fill(body, false);
      return body.array();
    }
    byte[] bytes = new byte[CHUNK];
    int filled = 0;
    while (filled < length) {
      if (filled == bytes.length) {
        bytes = Arrays.copyOf(bytes, (int) Math.min(length, 2L * bytes.length));
      }
      ByteBuffer part = ByteBuffer.wrap(bytes, filled, bytes.length - filled);
      fill(part, false);
      filled = part.position();
    }
    return bytes;
  }

  /** Gives back what the last frame reserved. */
  private void release() {
    if (reserved > 0) {
      budget.release(reserved);
      reserved = 0;
    }
  }

  /** Writes frames with one gathering write: Kong reads them in order. */
  void write(byte[]... frames) throws IOException {
    int size = 0;
    for (byte[] frame : frames) {
      size += 4 + frame.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[] frame : frames) {
      out.putInt(frame.length).put(frame);
    }
    out.flip();
    while (out.hasRemaining()) {
      channel.write(out);
    }
  }

  /**
   * Fills {@code buffer}; returns false on end of input before the first byte when allowed. Once
   * a frame has started, its reads are under the read deadline (idle time between frames is not).
   */
  private boolean fill(ByteBuffer buffer, boolean endAllowed) throws IOException {
    boolean first = true;
    while (buffer.hasRemaining()) {
      if (deadline == 0 && (buffer != header || header.position() > 0)) {
        deadline = System.nanoTime() + readTimeoutNanos;
      }
      if (channel.read(buffer) < 0) {
        if (first && endAllowed && buffer.position() == 0) {
          return false;
        }
        throw new EOFException("the connection ended inside a frame");
      }
      first = false;
    }
    return true;
  }

  /** Closes the connection; Kong sees it as {@code closed}. */
  @Override
  public void close() throws IOException {
    deadlines.unregister(this);
    release();
    channel.close();
  }

  /** A started frame did not arrive completely within the read timeout. */
  static final class ReadTimeoutException extends IOException {
    ReadTimeoutException(String message) {
      super(message);
    }
  }
}
