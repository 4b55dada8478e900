package dev.kongpdk.bridge.internal.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The listening Unix domain socket, with the JDK's own implementation (no native library).
 *
 * <p>Binding replaces a stale socket file left by a server that died, but refuses to take over a
 * socket another live server is listening on, and never deletes a file that is not a socket.
 */
public final class UnixSocketListener implements AutoCloseable {

  private final Path path;
  private final ServerSocketChannel server;

  private UnixSocketListener(Path path, ServerSocketChannel server) {
    this.path = path;
    this.server = server;
  }

  /**
   * Binds {@code path}, readable and writable by the owner only, or also by {@code group} when it
   * is given.
   *
   * @param group a group name whose members may connect, or {@code null} for the owner only
   * @throws IOException with a message saying what is wrong with the path
   */
  public static UnixSocketListener bind(Path path, String group) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new IOException("cannot listen on " + path + ": directory " + parent + " does not exist");
    }
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      removeStale(path);
    }
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(path), 1024);
      if (group == null) {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
      } else {
        GroupPrincipal principal =
            path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
        Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(principal);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
      }
    } catch (IOException e) {
      server.close();
      throw new IOException("cannot listen on " + path + ": " + e.getMessage(), e);
    }
    return new UnixSocketListener(path, server);
  }

  private static void removeStale(Path path) throws IOException {
    if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
        || Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("cannot listen on " + path + ": it exists and is not a socket");
    }
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      throw new IOException(
          "cannot listen on " + path + ": another plugin server is listening on it");
    } catch (ConnectException stale) {
      Files.deleteIfExists(path); // nobody listens: a server died without cleaning up
    }
  }

  /** Waits for the next connection. */
  public SocketChannel accept() throws IOException {
    return server.accept();
  }

  public Path path() {
    return path;
  }

  /** Stops listening and removes the socket file. */
  @Override
  public void close() throws IOException {
    try {
      server.close();
    } finally {
      Files.deleteIfExists(path);
    }
  }
}
