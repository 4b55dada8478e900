package dev.kongpdk.bridge.internal.pb;

import dev.kongpdk.bridge.internal.EventLimit;
import dev.kongpdk.bridge.internal.HandlerTimeouts;
import dev.kongpdk.bridge.internal.Instances;
import dev.kongpdk.bridge.internal.ServerStats;
import dev.kongpdk.bridge.internal.limits.ConfigLimit;
import dev.kongpdk.bridge.internal.limits.MemoryBudget;
import dev.kongpdk.bridge.internal.limits.PeerLimits;
import dev.kongpdk.bridge.internal.limits.RefusalLog;
import dev.kongpdk.plugin.PluginDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * Kong's ProtoBuf plugin protocol ({@code ProtoBuf:1}, §4 of the protocol reference) for the
 * plugins a server serves: shares the server's instances and counters, and serves each
 * connection with a {@link PbConnection}.
 */
public final class PbService {

  private static final System.Logger LOG = System.getLogger(PbService.class.getName());

  final Map<String, PluginDescriptor> plugins = new LinkedHashMap<>();
  final Instances instances;
  final ServerStats stats;
  final HandlerTimeouts timeouts;
  final EventLimit limit;
  final PeerLimits limits;
  final MemoryBudget budget;
  final ConfigLimit configLimit;
  final RefusalLog overLimit = new RefusalLog(LOG, Duration.ofSeconds(10));
  final RefusalLog readTimeouts = new RefusalLog(LOG, Duration.ofSeconds(10));
  final RefusalLog malformed = new RefusalLog(LOG, Duration.ofSeconds(10));
  final PbMethods methods = PbMethods.kong();
  /**
   * The events in flight, each with the janitor's check of it at a given {@link System#nanoTime()}
   * (past its limit, or its connection closed by Kong under the handler).
   */
  final Map<PbEvent, LongConsumer> live = new ConcurrentHashMap<>();
  private final ConnectionThreads threads;

  /** Starts a thread that serves a connection, counted among the server's connections. */
  public interface ConnectionThreads {
    void start(SocketChannel channel, Runnable serve);
  }

  /**
   * Creates the service.
   *
   * @param limits bound the frames (a larger one closes its connection) and their read deadline
   * @param budget the memory all connections' frames share
   * @param threads starts the thread that goes on serving the connection of a timed-out event
   *     whose handler still holds the thread that read it
   */
  public PbService(
      List<PluginDescriptor> plugins,
      Instances instances,
      ServerStats stats,
      HandlerTimeouts timeouts,
      EventLimit limit,
      PeerLimits limits,
      MemoryBudget budget,
      ConnectionThreads threads) {
    plugins.forEach(p -> this.plugins.put(p.name(), p));
    this.instances = instances;
    this.stats = stats;
    this.timeouts = timeouts;
    this.limit = limit;
    this.limits = limits;
    this.budget = budget;
    this.threads = threads;
    this.configLimit = new ConfigLimit(limits, budget);
  }

  /** Returns what serves one accepted connection, on the caller's thread. */
  public Runnable connection(SocketChannel channel, ByteBuffer firstBytes) {
    return new PbConnection(this, frames(channel, firstBytes), false);
  }

  /**
   * Returns what serves a connection beyond the connection limit, on the caller's thread: one
   * call answered (an event with the plugin's failure policy, without running it), then closed.
   */
  public Runnable shedConnection(SocketChannel channel, ByteBuffer firstBytes) {
    return new PbConnection(this, frames(channel, firstBytes), true);
  }

  /**
   * Returns whether a new connection's first bytes (position to limit) are ready for its reader:
   * a whole frame, or the length of one that cannot be whole within {@code most} bytes (which the
   * reader refuses or reads on under its deadline). The test by which a new connection waits for
   * its first call (see {@code FirstMessageWait}).
   */
  public static boolean firstFrameReady(ByteBuffer bytes, int most) {
    if (bytes.remaining() < 4) {
      return false;
    }
    long length = Integer.toUnsignedLong(
        bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(bytes.position()));
    return 4 + length > most || bytes.remaining() - 4 >= length;
  }

  private FrameChannel frames(SocketChannel channel, ByteBuffer firstBytes) {
    FrameChannel frames = new FrameChannel(channel, limits.maxMessageBytes(),
        limits.maxDecodedBytes(), budget,
        limits.readTimeout(), this::frameTimedOut);
    frames.alreadyRead(firstBytes);
    return frames;
  }

  private void frameTimedOut() {
    stats.readTimedOut();
    readTimeouts.refused("closing a connection whose frame did not arrive within "
        + limits.readTimeout().toMillis() + " ms of its start (see --read-timeout)");
  }

  /**
   * Serves a connection on a new thread from now on: the connection of a timed-out event whose
   * handler still holds the thread that read it.
   */
  void serveElsewhere(PbConnection connection, SocketChannel channel) {
    threads.start(channel, connection);
  }

  /**
   * Checks the events in flight (run by the server's janitor a few times a second: an event's
   * thread runs its handler and waits for Kong without a timeout of its own).
   */
  public void expire() {
    long now = System.nanoTime();
    for (LongConsumer check : live.values()) {
      try {
        check.accept(now);
      } catch (RuntimeException e) { // one event must not stop the janitor for all the others
        LOG.log(System.Logger.Level.ERROR, "checking a ProtoBuf event failed inside the server", e);
      }
    }
  }

  /**
   * Ends the events still in flight and interrupts their handlers, then waits for them to be
   * forgotten (at most {@code wait}).
   */
  public void close(Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    for (PbEvent event : List.copyOf(live.keySet())) {
      try {
        event.endWith(PbEvent.End.CONNECTION_LOST, "the plugin server is shutting down");
      } catch (IOException e) {
        // nothing was written: the event has ended all the same
      }
      event.interruptHandler();
    }
    drain(deadline);
  }

  /** Returns the number of events in flight. */
  public int eventsInFlight() {
    return live.size();
  }

  /**
   * Waits for the events in flight to end, until {@code deadlineNanos} ({@link System#nanoTime()}
   * scale).
   */
  public void drain(long deadlineNanos) throws InterruptedException {
    for (PbEvent event : List.copyOf(live.keySet())) {
      long left = Math.max(0, deadlineNanos - System.nanoTime());
      event.awaitEnd(Duration.ofNanos(left));
    }
  }
}
