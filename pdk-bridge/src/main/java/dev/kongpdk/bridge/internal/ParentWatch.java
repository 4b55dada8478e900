package dev.kongpdk.bridge.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs an action when the process that started this one exits (Kong 2.8 never stops its plugin
 * servers, so they stop when Kong does).
 *
 * <p>On Linux the parent's exit is seen as a positive fact: this process's parent pid, read from
 * {@code /proc/self/stat} once a second, has changed (the orphan was adopted). A read that fails,
 * for example because the process is out of file descriptors, proves nothing and is simply tried
 * again at the next tick; the JDK's own {@code ProcessHandle.onExit()} would take such a failure
 * for the parent's exit. Elsewhere the JDK's watch is used.
 */
public final class ParentWatch implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ParentWatch.class.getName());
  private static final Path STAT = Path.of("/proc/self/stat");

  private final CountDownLatch stopped = new CountDownLatch(1);

  private ParentWatch() {}

  /** Starts watching; {@code onExit} runs once, on the watch's own thread, when the parent exits. */
  public static ParentWatch start(Runnable onExit, Duration every) {
    ParentWatch watch = new ParentWatch();
    long parent = parentPid();
    if (parent > 0) {
      Thread.ofPlatform().daemon().name("kong-pdk-parent-watch")
          .start(() -> watch.poll(parent, onExit, every));
    } else {
      ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(onExit));
    }
    return watch;
  }

  private void poll(long parent, Runnable onExit, Duration every) {
    try {
      while (!stopped.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
        long now = parentPid();
        if (now > 0 && now != parent) {
          LOG.log(Level.INFO, "the parent process {0} has exited; stopping", parent);
          onExit.run();
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** This process's parent pid from {@code /proc/self/stat}, or -1 when it cannot be read now. */
  static long parentPid() {
    String stat;
    try {
      stat = Files.readString(STAT);
    } catch (IOException | SecurityException e) {
      return -1;
    }
    return parseParentPid(stat);
  }

  /** The fourth field of a {@code stat} line, after the command name in parentheses. */
  static long parseParentPid(String stat) {
    int end = stat.lastIndexOf(')');
    if (end < 0) {
      return -1;
    }
    String[] fields = stat.substring(end + 1).trim().split(" ");
    try {
      return fields.length > 1 ? Long.parseLong(fields[1]) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Stops watching. */
  @Override
  public void close() {
    stopped.countDown();
  }
}
