package dev.kongpdk.bridge.internal.pb;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;

/**
 * The frames of Kong's ProtoBuf protocol on one connection: a 4-byte little-endian unsigned
 * length, then that many bytes (Kong packs the length with {@code lua_pack} {@code "I"}, a native
 * unsigned int, little-endian on every platform Kong ships for). A zero-length frame is legal and
 * meaningful: it ends an event's call loop, and it is Kong's reply for a nil result.
 *
 * <p>Not thread-safe: the connection and its event take turns, see {@link PbEvent}.
 */
final class FrameChannel implements AutoCloseable {

  private final SocketChannel channel;
  private final int maxFrameBytes;
  private final ByteBuffer header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);

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
    header.clear();
    if (!fill(header, true)) {
      return null;
    }
    long length = Integer.toUnsignedLong(header.flip().getInt());
    if (length > maxFrameBytes) {
      throw new FrameTooLargeException(
          "a frame of " + length + " bytes exceeds the limit of " + maxFrameBytes);
    }
    ByteBuffer body = ByteBuffer.allocate((int) length);
    fill(body, false);
    return body.array();
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

  /** Fills {@code buffer}; returns false on end of input before the first byte when allowed. */
  private boolean fill(ByteBuffer buffer, boolean endAllowed) throws IOException {
    boolean first = true;
    while (buffer.hasRemaining()) {
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
    channel.close();
  }

  /** A frame longer than the server accepts; the connection cannot be resynchronised. */
  static final class FrameTooLargeException extends IOException {
    FrameTooLargeException(String message) {
      super(message);
    }
  }
}
