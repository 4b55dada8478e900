package dev.kongpdk.bridge.internal.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.bridge.internal.ServerStats;
import dev.kongpdk.bridge.internal.limits.MemoryBudget;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * New connections wait on one thread for their first message, over real Unix sockets. The framing
 * here: the first byte says how many bytes the message has in all.
 */
@Timeout(30)
class FirstMessageWaitTest {

  @TempDir Path dir;
  private ServerSocketChannel server;
  private final List<SocketChannel> sockets = new ArrayList<>();
  private final BlockingQueue<byte[]> handedOver = new LinkedBlockingQueue<>();
  private final MemoryBudget budget = new MemoryBudget(1 << 20);
  private final ServerStats stats = new ServerStats();
  private FirstMessageWait wait;

  /** Ready once the count in the first byte has arrived. */
  private static boolean ready(ByteBuffer bytes, int most) {
    return bytes.hasRemaining() && bytes.remaining() >= (bytes.get(bytes.position()) & 0xff);
  }

  @BeforeEach
  void listen() throws IOException {
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(dir.resolve("s.socket")));
  }

  @AfterEach
  void closeAll() throws IOException {
    if (wait != null) {
      wait.close();
    }
    for (SocketChannel socket : sockets) {
      socket.close();
    }
    server.close();
  }

  private void start(int capacity, Duration readTimeout) throws IOException {
    start(FirstMessageWaitTest::ready, capacity, readTimeout);
  }

  private void start(FirstMessageWait.Framing framing, int capacity, Duration readTimeout)
      throws IOException {
    wait = new FirstMessageWait(framing, (channel, first) -> {
      byte[] bytes = new byte[first.remaining()];
      first.get(bytes);
      sockets.add(channel);
      handedOver.add(bytes);
    }, capacity, readTimeout, budget, stats);
  }

  /** Connects a client and makes the server side wait; returns the client. */
  private SocketChannel connect() throws IOException {
    SocketChannel client = SocketChannel.open(server.getLocalAddress());
    sockets.add(client);
    wait.add(server.accept());
    return client;
  }

  private static void send(SocketChannel client, int... bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(bytes.length);
    for (int b : bytes) {
      buffer.put((byte) b);
    }
    client.write(buffer.flip());
  }

  private static boolean closedByPeer(SocketChannel client) throws IOException {
    return client.read(ByteBuffer.allocate(1)) < 0;
  }

  @Test
  void aMessageThatArrivesInPartsIsHandedOverWholeOnceItIsIn() throws Exception {
    start(8, Duration.ofSeconds(10));
    SocketChannel client = connect();
    send(client, 4, 1);
    assertNull(handedOver.poll(200, TimeUnit.MILLISECONDS), "not whole yet");
    send(client, 2, 3);
    assertArrayEquals(new byte[] {4, 1, 2, 3}, handedOver.poll(5, TimeUnit.SECONDS));
    assertEquals(0, budget.used(), "what it held while waiting is given back");
  }

  @Test
  void connectionsThatSendNothingOrPartOfAMessageWaitWhileOthersGoThrough() throws Exception {
    start(100, Duration.ofSeconds(10));
    for (int i = 0; i < 50; i++) {
      SocketChannel client = connect();
      if (i % 2 == 0) {
        send(client, 9); // a message of nine bytes, of which only the first arrives
      }
    }
    SocketChannel kong = connect();
    send(kong, 2, 7);
    assertArrayEquals(new byte[] {2, 7}, handedOver.poll(5, TimeUnit.SECONDS));
    assertTrue(handedOver.isEmpty(), "the others wait");
  }

  @Test
  void oneMoreThanMayWaitMakesTheOneThatWaitedLongestLeave() throws Exception {
    start(2, Duration.ofSeconds(10));
    SocketChannel oldest = connect();
    SocketChannel second = connect();
    SocketChannel kong = connect();
    send(kong, 1);
    assertArrayEquals(new byte[] {1}, handedOver.poll(5, TimeUnit.SECONDS));
    assertTrue(closedByPeer(oldest));
    assertEquals(1L, stats.snapshot().get("ConnectionsShed"));
    send(second, 1); // still waiting, and served once its message is in
    assertArrayEquals(new byte[] {1}, handedOver.poll(5, TimeUnit.SECONDS));
  }

  @Test
  void aStartedMessageMustArriveWithinTheReadTimeoutButSilentOnesStay() throws Exception {
    start(8, Duration.ofMillis(300));
    SocketChannel silent = connect();
    SocketChannel partial = connect();
    send(partial, 5, 1);
    assertTrue(closedByPeer(partial));
    assertEquals(1L, stats.snapshot().get("ReadTimeouts"));
    assertEquals(0, budget.used());
    send(silent, 1); // waited longer than the read timeout without starting: still served
    assertArrayEquals(new byte[] {1}, handedOver.poll(5, TimeUnit.SECONDS));
  }

  @Test
  void aMessageLargerThanTheWaitingRoomHoldsIsHandedOverWhenItIsFull() throws Exception {
    start((bytes, most) -> false, 8, Duration.ofSeconds(10)); // never whole
    SocketChannel client = connect();
    client.write(ByteBuffer.allocate(FirstMessageWait.MOST_BYTES + 100));
    assertEquals(FirstMessageWait.MOST_BYTES, handedOver.poll(5, TimeUnit.SECONDS).length);
    assertEquals(0, budget.used());
  }

  @Test
  void theDescriptorsOfConnectionsThatLeftAreFreedWithoutFurtherTraffic() throws Exception {
    start(8, Duration.ofMillis(300));
    Set<String> before = openSockets();
    SocketChannel served = connect();
    Set<String> opened = openSockets(); // both ends of each connection, kept by their inode
    send(served, 1);
    handedOver.poll(5, TimeUnit.SECONDS);
    sockets.remove(sockets.size() - 1).close(); // the server closes the one it was handed
    SocketChannel timedOut = connect();
    opened.addAll(openSockets());
    opened.removeAll(before);
    assertEquals(4, opened.size(), "two connections, two ends each: " + opened);
    send(timedOut, 5); // started, never finished: closed by the read deadline
    assertTrue(closedByPeer(timedOut));
    served.close();
    timedOut.close();
    sockets.remove(served);
    sockets.remove(timedOut);
    // nothing else arrives: the waiting thread must not keep them registered until it does
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    Set<String> stillOpen = stillOpen(opened);
    while (!stillOpen.isEmpty() && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(1_000_000); // polling descriptors the kernel keeps
      stillOpen = stillOpen(opened);
    }
    assertEquals(Set.of(), stillOpen);
  }

  private static Set<String> stillOpen(Set<String> sockets) throws IOException {
    Set<String> open = openSockets();
    open.retainAll(sockets);
    return open;
  }

  /**
   * The sockets this process holds, by the inode the kernel names them with; other descriptors
   * (jars, pipes) come and go with the rest of the JVM and are left out.
   */
  private static Set<String> openSockets() throws IOException {
    Set<String> open = new HashSet<>();
    try (var files = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) files::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:")) {
            open.add(target);
          }
        } catch (NoSuchFileException closedMeanwhile) {
          // closed between listing and reading: not open
        }
      }
    }
    return open;
  }

  @Test
  void aConnectionThatCannotBeServedIsClosedAndTheNextOnesAreServed() throws Exception {
    wait = new FirstMessageWait(FirstMessageWaitTest::ready, (channel, first) -> {
      if (first.get(first.position() + 1) == 66) {
        throw new OutOfMemoryError("unable to create native thread");
      }
      sockets.add(channel);
      handedOver.add(new byte[] {first.get(first.position() + 1)});
    }, 8, Duration.ofSeconds(10), budget, stats);
    SocketChannel unlucky = connect();
    send(unlucky, 2, 66);
    assertTrue(closedByPeer(unlucky));
    SocketChannel next = connect();
    send(next, 2, 7);
    assertArrayEquals(new byte[] {7}, handedOver.poll(5, TimeUnit.SECONDS));
  }

  @Test
  void closingClosesTheWaitingConnections() throws Exception {
    start(8, Duration.ofSeconds(10));
    SocketChannel client = connect();
    wait.close();
    assertTrue(closedByPeer(client));
  }
}
