package dev.kongpdk.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The socket file: private from the start, one server per path, and only our own removed. */
@Timeout(30)
class SocketFileTest {

  @TempDir Path dir;

  private PluginServer start(Path socket) throws IOException {
    return PluginServer.builder().plugin(new GreeterPlugin.Descriptor()).socket(socket).start();
  }

  @Test
  void theSocketIsBoundInAPrivateDirectoryAndMovedIntoPlace() throws Exception {
    Path socket = dir.resolve("greeter.socket");
    try (PluginServer server = start(socket)) {
      assertEquals("rw-------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)));
      assertEquals("rw-------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(dir.resolve("greeter.socket.lock"))));
      try (var entries = Files.list(dir)) {
        assertEquals(List.of("greeter.socket", "greeter.socket.lock"),
            entries.map(p -> p.getFileName().toString()).sorted().toList(),
            "the private directory the socket was bound in is gone");
      }
      try (KongWire kong = new KongWire(socket)) {
        assertEquals("greeter", kong.startInstance("greeter", "{}").map().get("Name"));
      }
    }
    assertFalse(Files.exists(socket));
    assertFalse(Files.exists(dir.resolve("greeter.socket.lock")), "the lock file is removed");
  }

  @Test
  void ofTwoServersStartedAtOnceExactlyOneServes() throws Exception {
    Path socket = dir.resolve("greeter.socket");
    staleSocket(socket);
    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService starters = Executors.newFixedThreadPool(2);
    try {
      List<Future<Object>> results = List.of(
          starters.submit(() -> startAfter(together, socket)),
          starters.submit(() -> startAfter(together, socket)));
      int serving = 0;
      for (Future<Object> result : results) {
        Object outcome = result.get();
        if (outcome instanceof PluginServer server) {
          serving++;
          try (server; KongWire kong = new KongWire(socket)) {
            assertEquals("greeter", kong.startInstance("greeter", "{}").map().get("Name"));
          }
        } else {
          String message = ((IOException) outcome).getMessage();
          assertTrue(message.contains("cannot listen on " + socket)
              && message.contains("another plugin server"), message);
        }
      }
      assertEquals(1, serving);
    } finally {
      starters.shutdownNow();
    }
  }

  private Object startAfter(CyclicBarrier together, Path socket) throws Exception {
    together.await();
    try {
      return start(socket);
    } catch (IOException e) {
      return e;
    }
  }

  @Test
  void aStoppingServerLeavesANewerServersSocketAlone() throws Exception {
    Path socket = dir.resolve("greeter.socket");
    PluginServer old = start(socket);
    // another server's socket now sits at the path (the old one's was moved away)
    Files.move(socket, dir.resolve("moved.socket"));
    try (ServerSocketChannel newer = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      newer.bind(UnixDomainSocketAddress.of(socket));
      old.close();
      assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "the newer socket is kept");
    }
  }

  @Test
  void aFifoASymlinkOrAFileAtThePathIsRefusedAndKept() throws Exception {
    Path fifo = dir.resolve("fifo.socket");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertEquals(0, mkfifo.waitFor());
    Path link = dir.resolve("link.socket");
    Files.createSymbolicLink(link, dir.resolve("elsewhere"));
    Path file = dir.resolve("file.socket");
    Files.writeString(file, "data");
    for (Path path : List.of(fifo, link, file)) {
      IOException e = assertThrows(IOException.class, () -> start(path));
      assertTrue(e.getMessage().startsWith("cannot listen on " + path + ": "), e.getMessage());
      assertTrue(e.getMessage().contains("not a socket"), e.getMessage());
      assertTrue(Files.exists(path, LinkOption.NOFOLLOW_LINKS), path + " is left as it was");
    }
    assertTrue(assertThrows(IOException.class, () -> start(fifo)).getMessage().contains("a FIFO"));
  }

  @Test
  void aLiveSocketIsRefusedAndAStaleOneReplaced() throws Exception {
    Path socket = dir.resolve("greeter.socket");
    staleSocket(socket);
    try (PluginServer server = start(socket)) {
      IOException e = assertThrows(IOException.class, () -> start(socket));
      assertTrue(e.getMessage().contains("another plugin server"), e.getMessage());
      try (KongWire kong = new KongWire(socket)) {
        assertEquals("greeter", kong.startInstance("greeter", "{}").map().get("Name"));
      }
    }
  }

  /** A socket file left by a server that died: bound, never removed. */
  private static void staleSocket(Path socket) throws IOException {
    ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    stale.bind(UnixDomainSocketAddress.of(socket));
    stale.close(); // closing a JDK Unix server channel leaves the file behind
    assertTrue(Files.exists(socket));
  }
}
