package dev.kongpdk.bridge.internal.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The listening Unix domain socket, with the JDK's own implementation (no native library).
 *
 * <p>Binding is serialised per socket path by a lock file beside it ({@code <path>.lock}, held for
 * the server's life and removed when it stops), so of two servers started at once exactly one
 * serves. The socket is bound inside a fresh directory only the owner can enter,
 * given its permissions there and then renamed onto the path, so it is never reachable with
 * wider permissions, and a stale socket left by a server that died is replaced in the same step.
 * A socket another live server listens on is refused, and so is anything at the path that is not
 * a socket (a file, a directory, a FIFO, a symbolic link). On close the path is removed only if
 * it is still the socket this server bound (same device and inode).
 */
public final class UnixSocketListener implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(UnixSocketListener.class.getName());

  /** Where Linux keeps the longest accept backlog it grants ({@code net.core.somaxconn}). */
  static final Path SOMAXCONN = Path.of("/proc/sys/net/core/somaxconn");

  /** The backlog asked for when {@link #SOMAXCONN} cannot be read: Linux's default since 5.4. */
  static final int FALLBACK_BACKLOG = 4096;

  /** The file type bits of {@code st_mode}, and the type of a socket. */
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;

  private final Path path;
  private final ServerSocketChannel server;
  private final FileChannel lockFile;
  private final Object fileKey;

  private UnixSocketListener(
      Path path, ServerSocketChannel server, FileChannel lockFile, Object fileKey) {
    this.path = path;
    this.server = server;
    this.lockFile = lockFile;
    this.fileKey = fileKey;
  }

  /**
   * Returns the accept backlog to ask for: the kernel's limit read from {@code somaxconn} (a longer
   * one would be shortened to it anyway), or {@link #FALLBACK_BACKLOG} when that cannot be read.
   */
  static int backlog(Path somaxconn) {
    // read as a stream: Files.readString trusts the size /proc reports and may stop short
    try (java.io.BufferedReader in = Files.newBufferedReader(somaxconn)) {
      String line = in.readLine();
      int max = line == null ? 0 : Integer.parseInt(line.trim());
      return max > 0 ? max : FALLBACK_BACKLOG;
    } catch (IOException | NumberFormatException e) {
      return FALLBACK_BACKLOG;
    }
  }

  private static Path lockPath(Path path) {
    return path.resolveSibling(path.getFileName() + ".lock");
  }

  /**
   * Binds {@code path}, readable and writable by the owner only, or also by {@code group} when it
   * is given.
   *
   * @param group a group name whose members may connect, or {@code null} for the owner only
   * @throws IOException with a message naming the path and saying what is wrong with it
   */
  public static UnixSocketListener bind(Path path, String group) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new IOException("cannot listen on " + path + ": directory " + parent + " does not exist");
    }
    FileChannel lockFile = lock(path);
    try {
      checkExisting(path);
      return bindLocked(path, parent, group, lockFile);
    } catch (IOException | RuntimeException e) {
      lockFile.close();
      throw e;
    }
  }

  /** Takes the lock beside {@code path}, or says which server holds it. */
  private static FileChannel lock(Path path) throws IOException {
    Path lockPath = lockPath(path);
    FileChannel channel;
    try {
      channel = FileChannel.open(lockPath, Set.of(StandardOpenOption.CREATE,
              StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (IOException e) {
      throw new IOException("cannot listen on " + path + ": cannot open its lock file " + lockPath
          + ": " + e.getMessage(), e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // a server in this same process holds it
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new IOException("cannot listen on " + path + ": another plugin server is listening"
          + " on it or starting to (it holds " + lockPath + ")");
    }
    return channel;
  }

  /** Refuses what must not be replaced at {@code path}; a stale socket is left to be replaced. */
  private static void checkExisting(Path path) throws IOException {
    int mode;
    try {
      mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return;
    }
    if (Files.isSymbolicLink(path)) {
      throw new IOException("cannot listen on " + path + ": it is a symbolic link, not a socket;"
          + " remove it or choose another path");
    }
    if ((mode & S_IFMT) != S_IFSOCK) {
      throw new IOException("cannot listen on " + path + ": it exists and is not a socket ("
          + typeName(mode) + "); remove it or choose another path");
    }
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      throw new IOException(
          "cannot listen on " + path + ": another plugin server is listening on it");
    } catch (ConnectException stale) {
      // nobody listens: a server died without cleaning up; the new socket replaces it
    }
  }

  private static String typeName(int mode) {
    return switch (mode & S_IFMT) {
      case 0100000 -> "a regular file";
      case 0040000 -> "a directory";
      case 0010000 -> "a FIFO";
      case 0020000 -> "a character device";
      case 0060000 -> "a block device";
      default -> "file type " + Integer.toOctalString(mode & S_IFMT);
    };
  }

  private static UnixSocketListener bindLocked(
      Path path, Path parent, String group, FileChannel lockFile) throws IOException {
    // Named after the socket (short: socket paths are limited to 107 bytes) and only ever used
    // under the socket's lock, so one left by a server that was killed here can be removed.
    Path dir = path.resolveSibling("." + path.getFileName() + ".d");
    try {
      Files.deleteIfExists(dir.resolve("s"));
      Files.deleteIfExists(dir);
      Files.createDirectory(dir,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new IOException("cannot listen on " + path + ": cannot create a private directory in "
          + parent + ": " + e.getMessage(), e);
    }
    Path staged = dir.resolve("s");
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      // As long a backlog as the kernel grants: when it overflows, Kong's connect fails with
      // EAGAIN and Kong runs the request on without the plugin (a cold start at full rate).
      server.bind(UnixDomainSocketAddress.of(staged), backlog(SOMAXCONN));
      if (group == null) {
        Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rw-------"));
      } else {
        GroupPrincipal principal =
            path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
        Files.getFileAttributeView(staged, PosixFileAttributeView.class).setGroup(principal);
        Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rw-rw----"));
      }
      Files.move(staged, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Object key = fileKey(path);
      return new UnixSocketListener(path, server, lockFile, key);
    } catch (IOException | RuntimeException e) {
      server.close();
      Files.deleteIfExists(staged);
      throw new IOException("cannot listen on " + path + ": " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(dir);
    }
  }

  /** The device and inode of the file at {@code path} (not following a link). */
  private static Object fileKey(Path path) throws IOException {
    Map<String, Object> attributes =
        Files.readAttributes(path, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
    return Map.of("dev", attributes.get("dev"), "ino", attributes.get("ino"));
  }

  /** Waits for the next connection. */
  public SocketChannel accept() throws IOException {
    return server.accept();
  }

  public Path path() {
    return path;
  }

  /**
   * Stops listening and removes the socket file if it is still the one this server bound (a
   * newer server may have replaced it); then removes the lock file and gives up the lock.
   */
  @Override
  public void close() throws IOException {
    try {
      server.close();
      removeSocketIfOurs();
    } finally {
      try {
        Files.deleteIfExists(lockPath(path));
      } finally {
        lockFile.close();
      }
    }
  }

  private void removeSocketIfOurs() throws IOException {
    Object now;
    try {
      now = fileKey(path);
    } catch (NoSuchFileException e) {
      return;
    }
    if (Objects.equals(now, fileKey)) {
      Files.deleteIfExists(path);
    } else {
      LOG.log(System.Logger.Level.WARNING, "not removing " + path
          + ": it is no longer the socket this server bound");
    }
  }
}
