package dev.kongpdk.bridge.internal.pb;

import dev.kongpdk.bridge.internal.EventLimit;
import dev.kongpdk.bridge.internal.HandlerTimeouts;
import dev.kongpdk.bridge.internal.Instances;
import dev.kongpdk.bridge.internal.ServerStats;
import dev.kongpdk.bridge.internal.limits.ConfigLimit;
import dev.kongpdk.bridge.internal.limits.MemoryBudget;
import dev.kongpdk.bridge.internal.limits.PeerLimits;
import dev.kongpdk.bridge.internal.limits.ReadDeadlines;
import dev.kongpdk.bridge.internal.limits.RefusalLog;
import dev.kongpdk.plugin.PluginDescriptor;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

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
  final ReadDeadlines deadlines;
  final ConfigLimit configLimit;
  final RefusalLog overLimit = new RefusalLog(LOG, Duration.ofSeconds(10));
  final RefusalLog readTimeouts = new RefusalLog(LOG, Duration.ofSeconds(10));
  final PbMethods methods = PbMethods.kong();
  final Set<PbEvent> live = ConcurrentHashMap.newKeySet();
  /**
   * Runs the event handlers on platform threads, which do their PDK calls' socket I/O directly
   * (on a virtual thread each read would go through the JDK's poller, which costs more CPU per
   * call than anything else in the server). Idle threads are kept a minute for the next events.
   */
  final ExecutorService handlers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60,
      TimeUnit.SECONDS, new SynchronousQueue<>(),
      Thread.ofPlatform().daemon().name("kong-pdk-pb-event-", 1).factory());

  /**
   * Creates the service.
   *
   * @param limits bound the frames (a larger one closes its connection) and their read deadline
   * @param budget the memory all connections' frames share
   * @param deadlines where the frames' read deadlines are kept (expired by the server's janitor)
   */
  public PbService(
      List<PluginDescriptor> plugins,
      Instances instances,
      ServerStats stats,
      HandlerTimeouts timeouts,
      EventLimit limit,
      PeerLimits limits,
      MemoryBudget budget,
      ReadDeadlines deadlines) {
    plugins.forEach(p -> this.plugins.put(p.name(), p));
    this.instances = instances;
    this.stats = stats;
    this.timeouts = timeouts;
    this.limit = limit;
    this.limits = limits;
    this.budget = budget;
    this.deadlines = deadlines;
    this.configLimit = new ConfigLimit(limits);
  }

  /** Returns what serves one accepted connection, on the caller's thread. */
  public Runnable connection(SocketChannel channel) {
    return new PbConnection(this, frames(channel), false);
  }

  /**
   * Returns what serves a connection beyond the connection limit, on the caller's thread: one
   * call answered (an event with the plugin's failure policy, without running it), then closed.
   */
  public Runnable shedConnection(SocketChannel channel) {
    return new PbConnection(this, frames(channel), true);
  }

  private FrameChannel frames(SocketChannel channel) {
    return new FrameChannel(channel, limits.maxMessageBytes(), budget, deadlines,
        limits.readTimeout(), this::frameTimedOut);
  }

  private void frameTimedOut() {
    stats.readTimedOut();
    readTimeouts.refused("closing a connection whose frame did not arrive within "
        + limits.readTimeout().toMillis() + " ms of its start (see --read-timeout)");
  }

  /** Stops the handler threads once their events have ended (at most {@code wait}). */
  public void close(Duration wait) throws InterruptedException {
    handlers.shutdown();
    if (!handlers.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS)) {
      handlers.shutdownNow();
    }
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
    for (PbEvent event : List.copyOf(live)) {
      long left = Math.max(0, deadlineNanos - System.nanoTime());
      event.awaitEnd(Duration.ofNanos(left));
    }
  }
}
