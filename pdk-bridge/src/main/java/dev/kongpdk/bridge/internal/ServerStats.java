package dev.kongpdk.bridge.internal;

import dev.kongpdk.bridge.ServerObserver;
import dev.kongpdk.bridge.ServerObserver.EventEnd;
import dev.kongpdk.plugin.Phase;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters an operator can read through {@code plugin.GetStatus}; each count is also passed, with
 * its plugin and phase, to the server's {@link ServerObserver} (metrics).
 */
public final class ServerStats {

  final LongAdder eventsStarted = new LongAdder();
  final LongAdder eventsCompleted = new LongAdder();
  final LongAdder eventsFailed = new LongAdder();
  final LongAdder eventsTimedOut = new LongAdder();
  final LongAdder eventsExited = new LongAdder();
  final LongAdder instancesStarted = new LongAdder();
  final LongAdder instancesRejected = new LongAdder();
  final LongAdder instancesExpired = new LongAdder();
  final LongAdder rpcErrors = new LongAdder();
  final LongAdder malformedMessages = new LongAdder();
  final LongAdder rejectedPeers = new LongAdder();
  final LongAdder eventMicrosTotal = new LongAdder();
  final AtomicLong eventMicrosMax = new AtomicLong();
  private final ServerObserver observer;

  /** Counters that only count. */
  public ServerStats() {
    this(ServerObserver.NONE);
  }

  /** Counters that also tell {@code observer}. */
  public ServerStats(ServerObserver observer) {
    this.observer = observer;
  }

  /** Returns the observer every count is passed to. */
  public ServerObserver observer() {
    return observer;
  }

  /** A snapshot, by counter name. */
  public Map<String, Long> snapshot() {
    Map<String, Long> counters = new LinkedHashMap<>();
    counters.put("EventsStarted", eventsStarted.sum());
    counters.put("EventsCompleted", eventsCompleted.sum());
    counters.put("EventsFailed", eventsFailed.sum());
    counters.put("EventsTimedOut", eventsTimedOut.sum());
    counters.put("EventsExited", eventsExited.sum());
    counters.put("InstancesStarted", instancesStarted.sum());
    counters.put("InstancesRejected", instancesRejected.sum());
    counters.put("InstancesExpired", instancesExpired.sum());
    counters.put("RpcErrors", rpcErrors.sum());
    counters.put("MalformedMessages", malformedMessages.sum());
    counters.put("RejectedPeers", rejectedPeers.sum());
    counters.put("EventMicrosTotal", eventMicrosTotal.sum());
    counters.put("EventMicrosMax", eventMicrosMax.get());
    return counters;
  }

  public void malformedMessage() {
    malformedMessages.increment();
    observer.malformedMessage();
  }

  public void rpcError() {
    rpcErrors.increment();
    observer.rpcError();
  }

  public void rejectedPeer() {
    rejectedPeers.increment();
    observer.peerRejected();
  }

  /**
   * A connection refused or closed because the server is over a limit (connection cap, memory
   * budget); the code that enforces the limit keeps its own GetStatus counter.
   */
  public void connectionRefused(String reason) {
    observer.connectionRefused(reason);
  }

  public void instancesExpired(String plugin, int count) {
    instancesExpired.add(count);
    observer.instancesExpired(plugin, count);
  }

  public void eventStarted(String plugin, Phase phase) {
    eventsStarted.increment();
    observer.eventStarted(plugin, phase);
  }

  /** An event ended, {@code nanos} after its HandleEvent. */
  public void eventEnded(String plugin, Phase phase, EventEnd end, long nanos) {
    switch (end) {
      case COMPLETED -> eventsCompleted.increment();
      case EXITED -> eventsExited.increment();
      case TIMED_OUT -> eventsTimedOut.increment();
    }
    long micros = nanos / 1000;
    eventMicrosTotal.add(micros);
    eventMicrosMax.accumulateAndGet(micros, Math::max);
    observer.eventEnded(plugin, phase, end, nanos);
  }

  public void eventFailed(String plugin, Phase phase) {
    eventsFailed.increment();
    observer.eventFailed(plugin, phase);
  }

  /**
   * An event refused before it started (over the events-in-flight cap or the memory budget); the
   * code that sheds keeps its own GetStatus counter.
   */
  public void eventShed(String plugin, Phase phase) {
    observer.eventShed(plugin, phase);
  }

  /** A PDK call of an event got Kong's answer {@code nanos} after it was sent. */
  public void pdkCall(String plugin, Phase phase, String method, long nanos) {
    observer.pdkCall(plugin, phase, method, nanos);
  }

  public void instanceStarted(String plugin) {
    instancesStarted.increment();
    observer.instanceStarted(plugin);
  }

  /** A refused StartInstance; {@code plugin} is null when the server does not serve that name. */
  public void instanceRejected(String plugin) {
    instancesRejected.increment();
    observer.instanceRejected(plugin);
  }
}
