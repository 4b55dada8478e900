package dev.kongpdk.bridge.internal.pb;

import dev.kongpdk.bridge.internal.Instances;
import dev.kongpdk.bridge.internal.ServerStats;
import dev.kongpdk.plugin.PluginDescriptor;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  /** The events in flight, each with what ends it when it has not moved on within the timeout. */
  final Map<PbEvent, Runnable> live = new ConcurrentHashMap<>();

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

  /**
   * Serves a connection on a new thread from now on: the connection of a timed-out event whose
   * handler still holds the thread that read it.
   */
  void serveElsewhere(FrameChannel io) {
    Thread.ofPlatform().daemon().name("kong-pdk-pb-conn").start(new PbConnection(this, io));
  }

  /**
   * Ends the events that have not moved on within the event timeout (run periodically by the
   * server's janitor: event waits themselves are untimed).
   */
  public void expire() {
    long now = System.nanoTime();
    long timeout = eventTimeout.toNanos();
    live.forEach((event, onTimeout) -> {
      if (event.idleNanos(now) >= timeout) {
        onTimeout.run();
      }
    });
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
