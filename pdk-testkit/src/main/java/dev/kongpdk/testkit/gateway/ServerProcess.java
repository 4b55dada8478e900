package dev.kongpdk.testkit.gateway;

import dev.kongpdk.testkit.internal.Connection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A plugin server process started for a test, listening on a socket in its own temporary
 * directory, the way Kong starts one with its start command. {@link #close()} stops it with
 * SIGTERM (as Kong 3.x does), then kills it if it does not exit.
 */
public final class ServerProcess implements AutoCloseable {

  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  /** sun_path holds 108 bytes on Linux, including the terminating NUL. */
  private static final int MAX_SOCKET_PATH = 107;

  private final Process process;
  private final Path socket;
  private final Path output;

  private ServerProcess(Process process, Path socket, Path output) {
    this.process = process;
    this.socket = socket;
    this.output = output;
  }

  /**
   * Starts {@code command} and waits until {@code socket} accepts connections.
   *
   * @param command the command and its arguments; it must make the server listen on {@code socket}
   * @param socket the Unix socket path the server listens on
   * @param startTimeout the longest wait for the socket
   * @return the running server
   * @throws KongClientException when the process exits or the socket does not accept connections in
   *     time; the message includes the server's output
   * @throws IllegalArgumentException when the socket path is too long for a Unix socket
   */
  public static ServerProcess start(List<String> command, Path socket, Duration startTimeout) {
    if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
      throw new IllegalArgumentException("socket path " + socket + " is longer than the " + MAX_SOCKET_PATH
          + " bytes a Unix socket address holds; use a shorter directory");
    }
    Path output;
    Process process;
    try {
      output = Files.createTempFile("plugin-server", ".log");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
      process = builder.start();
    } catch (IOException e) {
      throw new KongClientException("cannot start the plugin server " + command + ": " + e.getMessage(), e);
    }
    ServerProcess server = new ServerProcess(process, socket, output);
    long deadline = System.nanoTime() + startTimeout.toNanos();
    while (true) {
      if (Files.exists(socket)) {
        try {
          Connection.open(socket).close(); // Kong 3.1-3.4 probed exactly like this: connect, then close
          return server;
        } catch (IOException notYet) {
          // the file exists before listen() returns
        }
      }
      if (!process.isAlive()) {
        String log = server.output();
        server.close();
        throw new KongClientException("the plugin server exited with status " + process.exitValue()
            + " before listening on " + socket + "; its output:\n" + log);
      }
      if (System.nanoTime() > deadline) {
        String log = server.output();
        server.close();
        throw new KongClientException("the plugin server did not listen on " + socket + " within "
            + startTimeout + "; its output:\n" + log);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // no readiness signal exists: poll, as Kong 3.1-3.4 did
    }
  }

  /**
   * Starts this kit's plugin server from a plugin jar with the JVM running the tests: {@code java
   * -cp <classpath> dev.kongpdk.bridge.PluginServerMain --kong-prefix <dir> --socket <dir>/<plugin>.socket
   * --plugin <plugin>}.
   *
   * @param classpath the plugin jar and its dependencies
   * @param plugin the plugin to serve
   * @param directory a directory for the socket (Unix socket paths are limited to about 100 bytes)
   * @param startTimeout the longest wait for the socket
   * @return the running server
   */
  public static ServerProcess startJava(String classpath, String plugin, Path directory, Duration startTimeout) {
    Path socket = directory.resolve(plugin + ".socket");
    return start(javaCommand(classpath, "--kong-prefix", directory.toString(), "--socket", socket.toString(),
        "--plugin", plugin), socket, startTimeout);
  }

  /**
   * Returns the command that runs this kit's plugin server with the current JVM.
   *
   * @param classpath the class path
   * @param serverArgs the server's arguments
   * @return the command
   */
  public static List<String> javaCommand(String classpath, String... serverArgs) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-cp", Objects.requireNonNull(classpath, "classpath"),
        "dev.kongpdk.bridge.PluginServerMain"));
    command.addAll(List.of(serverArgs));
    return command;
  }

  /** Returns the socket the server listens on. */
  public Path socket() {
    return socket;
  }

  /** Returns the process id. */
  public long pid() {
    return process.pid();
  }

  /** Returns what the server printed so far (stdout and stderr merged, as Kong logs it). */
  public String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output unreadable: " + e.getMessage() + ")";
    }
  }

  /** Stops the server: SIGTERM, then a forced kill after a grace period; removes its log file. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(output);
    } catch (IOException ignored) {
      // a leftover temp file is harmless
    }
  }
}
