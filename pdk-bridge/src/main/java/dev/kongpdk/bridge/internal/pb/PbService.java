package dev.kongpdk.bridge.internal.pb;

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

/**
 * Kong's ProtoBuf plugin protocol ({@code ProtoBuf:1}, §4 of the protocol reference) for the
 * plugins a server serves: shares the server's instances and counters, and serves each
 * connection with a {@link PbConnection}.
 */
public final class PbService {

  final Map<String, PluginDescriptor> plugins = new LinkedHashMap<>();
  final Instances instances;
  final ServerStats stats;
  final Duration eventTimeout;
  final int maxFrameBytes;
  final PbMethods methods = PbMethods.kong();
  final Set<PbEvent> live = ConcurrentHashMap.newKeySet();

  /**
   * Creates the service.
   *
   * @param maxFrameBytes the largest frame accepted; a larger one closes its connection
   */
  public PbService(
      List<PluginDescriptor> plugins,
      Instances instances,
      ServerStats stats,
      Duration eventTimeout,
      int maxFrameBytes) {
    plugins.forEach(p -> this.plugins.put(p.name(), p));
    this.instances = instances;
    this.stats = stats;
    this.eventTimeout = eventTimeout;
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Returns what serves one accepted connection, on the caller's thread. */
  public Runnable connection(SocketChannel channel) {
    return new PbConnection(this, new FrameChannel(channel, maxFrameBytes));
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
