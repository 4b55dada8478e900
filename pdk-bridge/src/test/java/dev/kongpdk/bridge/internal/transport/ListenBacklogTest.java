package dev.kongpdk.bridge.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The accept backlog follows the kernel's limit, so a cold burst of connects does not overflow. */
class ListenBacklogTest {

  @TempDir Path dir;

  @Test
  void moreConnectsThanTheOldBacklogOf1024WaitToBeAcceptedInsteadOfFailing() throws IOException {
    // never accepted: every connect must find room in the backlog at once (non-blocking, as
    // Kong's: a full backlog fails it with EAGAIN, which the JDK reports as not connected yet)
    int connects = Math.min(UnixSocketListener.backlog(UnixSocketListener.SOMAXCONN), 1500);
    List<SocketChannel> clients = new ArrayList<>();
    try (UnixSocketListener listener = UnixSocketListener.bind(dir.resolve("s.socket"), null)) {
      UnixDomainSocketAddress address = UnixDomainSocketAddress.of(listener.path());
      int connected = 0;
      for (int i = 0; i < connects; i++) {
        SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX);
        clients.add(client);
        client.configureBlocking(false);
        if (client.connect(address)) {
          connected++;
        }
      }
      assertEquals(connects, connected, "connects that found room in the backlog");
    } finally {
      for (SocketChannel client : clients) {
        client.close();
      }
    }
  }

  @Test
  void theBacklogIsTheKernelsLimit() throws IOException {
    Path somaxconn = Files.writeString(dir.resolve("somaxconn"), "65535\n");
    assertEquals(65535, UnixSocketListener.backlog(somaxconn));
  }

  @Test
  void anUnreadableOrOddLimitFallsBackToLinuxsDefault() throws IOException {
    assertEquals(UnixSocketListener.FALLBACK_BACKLOG,
        UnixSocketListener.backlog(dir.resolve("missing")));
    assertEquals(UnixSocketListener.FALLBACK_BACKLOG,
        UnixSocketListener.backlog(Files.writeString(dir.resolve("garbage"), "lots")));
    assertEquals(UnixSocketListener.FALLBACK_BACKLOG,
        UnixSocketListener.backlog(Files.writeString(dir.resolve("zero"), "0")));
  }
}
