package dev.kongpdk.bridge.internal.pb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kongpdk.bridge.internal.limits.MemoryBudget;
import dev.kongpdk.bridge.internal.limits.OverLimitException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The buffered, selector-waiting frame reader against a real Unix socket. */
class FrameChannelTest {

  @TempDir Path dir;
  private SocketChannel kong;
  private SocketChannel server;
  private final MemoryBudget budget = new MemoryBudget(1 << 20);
  private final AtomicInteger expired = new AtomicInteger();

  @BeforeEach
  void connect() throws IOException {
    try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      listener.bind(UnixDomainSocketAddress.of(dir.resolve("s")));
      kong = SocketChannel.open(listener.getLocalAddress());
      server = listener.accept();
    }
  }

  @AfterEach
  void close() throws IOException {
    kong.close();
    server.close();
  }

  private FrameChannel frames(Duration readTimeout) {
    return new FrameChannel(
        server, 64 * 1024, 256 * 1024, budget, readTimeout, expired::incrementAndGet);
  }

  private void send(byte[]... frames) throws IOException {
    int size = Arrays.stream(frames).mapToInt(f -> 4 + f.length).sum();
    ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[] frame : frames) {
      out.putInt(frame.length).put(frame);
    }
    out.flip();
    while (out.hasRemaining()) {
      kong.write(out);
    }
  }

  private static byte[] bytes(int length, int seed) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + seed);
    }
    return bytes;
  }

  @Test
  void framesInOneWriteAndLargerThanTheBufferAreReadInOrderAndHoldOnlyTheLastOfTheBudget()
      throws Exception {
    FrameChannel io = frames(Duration.ofSeconds(5));
    byte[] large = bytes(20_000, 7); // larger than the read buffer: the rest comes from the socket
    send(bytes(3, 1), new byte[0], large, bytes(10, 2));
    assertArrayEquals(bytes(3, 1), io.read());
    assertEquals(3, budget.used());
    assertArrayEquals(new byte[0], io.read());
    assertEquals(0, budget.used());
    assertArrayEquals(large, io.read());
    assertEquals(large.length, budget.used());
    assertArrayEquals(bytes(10, 2), io.read());
    assertEquals(10, budget.used());
    kong.shutdownOutput();
    assertNull(io.read()); // Kong closed between frames
    io.close();
    assertEquals(0, budget.used());
  }

  @Test
  void writesLargerAndSmallerThanTheReusedBufferArriveIntact() throws Exception {
    FrameChannel io = frames(Duration.ofSeconds(5));
    FrameChannel back =
        new FrameChannel(kong, 64 * 1024, 256 * 1024, budget, Duration.ofSeconds(5), () -> { });
    byte[] large = bytes(30_000, 3);
    io.write(bytes(5, 4), large);
    io.write(bytes(6, 5));
    assertArrayEquals(bytes(5, 4), back.read());
    assertArrayEquals(large, back.read());
    assertArrayEquals(bytes(6, 5), back.read());
  }

  @Test
  void aLengthBeyondTheBudgetIsRefusedBeforeItsBytesArrive() throws Exception {
    FrameChannel io = new FrameChannel(server, 64 * 1024, 256 * 1024, new MemoryBudget(100),
        Duration.ofSeconds(5), () -> { });
    ByteBuffer header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(101).flip();
    kong.write(header);
    assertThrows(OverLimitException.class, io::read);
  }

  @Test
  void anIncompleteFrameHoldsItsLengthUntilAnotherThreadClosesTheConnection() throws Exception {
    FrameChannel io = frames(Duration.ofSeconds(30));
    ByteBuffer part = ByteBuffer.allocate(4 + 10).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(5000).put(bytes(10, 0)).flip();
    kong.write(part);
    CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
      try {
        return io.read();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (budget.used() != 5000) { // reserved on the length, before its bytes have arrived
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the frame's length was not reserved: " + budget.used());
      }
      Thread.onSpinWait();
    }
    io.close(); // as the janitor closes the connection of an event Kong does not answer
    ExecutionException failed =
        assertThrows(ExecutionException.class, () -> read.get(5, TimeUnit.SECONDS));
    assertInstanceOf(IOException.class, failed.getCause().getCause());
    assertEquals(0, budget.used());
    assertEquals(0, expired.get());
  }

  @Test
  void aStartedFrameMustArriveBeforeItsDeadlineAndIsCountedOnce() throws Exception {
    FrameChannel io = frames(Duration.ofMillis(200));
    kong.write(ByteBuffer.wrap(new byte[] {10, 0})); // half a length
    assertThrows(FrameChannel.ReadTimeoutException.class, io::read);
    assertEquals(1, expired.get());
    assertEquals(0, budget.used());
  }
}
