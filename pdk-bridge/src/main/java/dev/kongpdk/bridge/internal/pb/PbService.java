package dev.kongpdk.bridge.internal.pb;

import dev.kongpdk.bridge.internal.EventLimit;
import dev.kongpdk.bridge.internal.HandlerTimeouts;
import dev.kongpdk.bridge.internal.Instances;
import dev.kongpdk.bridge.internal.ServerStats;
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

  final Map<String, PluginDescriptor> plugins = new LinkedHashMap<>();
  final Instances instances;
  final ServerStats stats;
  final HandlerTimeouts timeouts;
  final EventLimit limit;
  final int maxFrameBytes;
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
   * @param maxFrameBytes the largest frame accepted; a larger one closes its connection
   */
  public PbService(
      List<PluginDescriptor> plugins,
      Instances instances,
      ServerStats stats,
      HandlerTimeouts timeouts,
      EventLimit limit,
      int maxFrameBytes) {
    plugins.forEach(p -> this.plugins.put(p.name(), p));
    this.instances = instances;
    this.stats = stats;
    this.timeouts = timeouts;
    this.limit = limit;
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Returns what serves one accepted connection, on the caller's thread. */
  public Runnable connection(SocketChannel channel) {
    return new PbConnection(this, new FrameChannel(channel, maxFrameBytes));
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
