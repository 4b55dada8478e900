package dev.kongpdk.bridge.internal;

import dev.kongpdk.bridge.internal.limits.RefusalLog;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Answers the connections that arrive while the server already serves as many as it may, on two
 * threads of their own, so that shedding costs a bounded number of threads whatever arrives. A
 * shed connection gets one request answered the way Kong understands (see the servers), then it
 * is closed; when even the shedding threads are behind, it is closed at once.
 */
public final class Shedding implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(Shedding.class.getName());

  /** How long a shed connection may take to send its request, and to finish sending it. */
  static final Duration FIRST_REQUEST_WAIT = Duration.ofMillis(200);

  /** Shed connections waiting for a shedding thread (each holds a file descriptor). */
  private static final int QUEUED = 8;

  private final ServerStats stats;
  private final RefusalLog log = new RefusalLog(LOG, Duration.ofSeconds(10));
  private final ThreadPoolExecutor threads;

  public Shedding(String threadName, ServerStats stats) {
    this.stats = stats;
    this.threads = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUED), Thread.ofPlatform().daemon().name(threadName).factory());
    threads.allowCoreThreadTimeOut(true); // no thread is kept once the load has gone
  }

  /**
   * Sheds {@code channel}: runs {@code answer} on a shedding thread, or closes the channel when
   * they are all behind.
   */
  public void shed(SocketChannel channel, String why, Runnable answer) {
    stats.connectionShed();
    log.refused("shedding a connection: the plugin server is at its connection limit (" + why
        + "); new events on it are answered with the plugin's failure policy (see --max-connections)");
    try {
      threads.execute(answer);
    } catch (RejectedExecutionException e) {
      try {
        channel.close();
      } catch (IOException closing) {
        LOG.log(Level.DEBUG, "closing a shed connection: " + closing.getMessage());
      }
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
