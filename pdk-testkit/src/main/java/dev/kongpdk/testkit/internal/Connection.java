package dev.kongpdk.testkit.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * One Unix socket connection to a plugin server, read and written with deadlines so that no caller
 * can wait forever. Not thread-safe: the client holds one request per connection at a time.
 */
public final class Connection implements AutoCloseable {

  private final SocketChannel channel;
  private final Selector selector;
  private byte[] buffer = new byte[8192];
  private int filled;

  private Connection(SocketChannel channel, Selector selector) {
    this.channel = channel;
    this.selector = selector;
  }

  /**
   * Connects to {@code socket}.
   *
   * @param socket the Unix socket path
   * @return the connection
   * @throws IOException when nothing listens there
   */
  public static Connection open(Path socket) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.configureBlocking(false);
      Selector selector = Selector.open();
      return new Connection(channel, selector);
    } catch (IOException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Writes all of {@code bytes}.
   *
   * @param bytes the message
   * @param timeout the longest wait for the socket to accept them
   * @throws IOException on a socket error
   * @throws TimeoutException when the server does not read in time
   */
  public void send(byte[] bytes, Duration timeout) throws IOException, TimeoutException {
    ByteBuffer out = ByteBuffer.wrap(bytes);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (out.hasRemaining()) {
      if (channel.write(out) == 0) {
        await(SelectionKey.OP_WRITE, deadline);
      }
    }
  }

  /**
   * Reads one complete MessagePack value.
   *
   * @param timeout the longest wait for the whole value
   * @return the decoded value
   * @throws IOException on a socket error, when the server closed the connection, or on bytes that
   *     are not MessagePack
   * @throws TimeoutException when the value is not complete in time
   */
  public Object receive(Duration timeout) throws IOException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<WireCodec.Decoded> decoded = WireCodec.decode(buffer, filled);
      if (decoded.isPresent()) {
        int used = decoded.get().length();
        System.arraycopy(buffer, used, buffer, 0, filled - used);
        filled -= used;
        return decoded.get().value();
      }
      if (filled == buffer.length) {
        buffer = Arrays.copyOf(buffer, buffer.length * 2);
      }
      int n = channel.read(ByteBuffer.wrap(buffer, filled, buffer.length - filled));
      if (n < 0) {
        throw new IOException("the plugin server closed the connection"
            + (filled > 0 ? " in the middle of a message (" + filled + " bytes read)" : ""));
      }
      if (n == 0) {
        await(SelectionKey.OP_READ, deadline);
      }
      filled += n;
    }
  }

  /** Returns how many received bytes are not yet part of a returned value. */
  public int pendingBytes() {
    return filled;
  }

  private void await(int op, long deadline) throws IOException, TimeoutException {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      throw new TimeoutException();
    }
    SelectionKey key = channel.register(selector, op);
    try {
      long millis = Math.max(1, remaining / 1_000_000);
      if (selector.select(millis) == 0 && System.nanoTime() >= deadline) {
        throw new TimeoutException();
      }
      selector.selectedKeys().clear();
    } finally {
      key.interestOps(0);
    }
  }

  /** Returns whether the connection is still open. */
  public boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public void close() {
    try {
      selector.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
