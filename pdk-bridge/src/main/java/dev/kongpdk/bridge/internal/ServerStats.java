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
  final LongAdder eventsShed = new LongAdder();
  final LongAdder eventsLost = new LongAdder();
  final LongAdder instancesStarted = new LongAdder();
  final LongAdder instancesRejected = new LongAdder();
  final LongAdder instancesExpired = new LongAdder();
  final LongAdder rpcErrors = new LongAdder();
  final LongAdder malformedMessages = new LongAdder();
  final LongAdder rejectedPeers = new LongAdder();
  final LongAdder connectionsShed = new LongAdder();
  final LongAdder messagesOverLimit = new LongAdder();
  final LongAdder readTimeouts = new LongAdder();
  final LongAdder configsOverLimit = new LongAdder();
  final LongAdder acceptFailures = new LongAdder();
  final LongAdder eventMicrosTotal = new LongAdder();
  final AtomicLong eventMicrosMax = new AtomicLong();

  /** The {@link ServerObserver#connectionRefused} reason for a connection over the cap. */
  public static final String REFUSED_CONNECTION_CAP = "connection_cap";
  /** The reason for a message over a size limit or the shared memory budget. */
  public static final String REFUSED_MEMORY_BUDGET = "memory_budget";
  /** The reason for a started message that did not arrive within the read deadline. */
  public static final String REFUSED_READ_DEADLINE = "read_deadline";
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
    counters.put("EventsShed", eventsShed.sum());
    counters.put("EventsLost", eventsLost.sum());
    counters.put("InstancesStarted", instancesStarted.sum());
    counters.put("InstancesRejected", instancesRejected.sum());
    counters.put("InstancesExpired", instancesExpired.sum());
    counters.put("RpcErrors", rpcErrors.sum());
    counters.put("MalformedMessages", malformedMessages.sum());
    counters.put("RejectedPeers", rejectedPeers.sum());
    counters.put("ConnectionsShed", connectionsShed.sum());
    counters.put("MessagesOverLimit", messagesOverLimit.sum());
    counters.put("ReadTimeouts", readTimeouts.sum());
    counters.put("ConfigsOverLimit", configsOverLimit.sum());
    counters.put("AcceptFailures", acceptFailures.sum());
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

  /** A connection arrived beyond the connection limit; it was shed. */
  public void connectionShed() {
    connectionsShed.increment();
    observer.connectionRefused(REFUSED_CONNECTION_CAP);
  }

  /** A message broke a size limit or did not fit the memory budget; its connection was closed. */
  public void messageOverLimit() {
    messagesOverLimit.increment();
    observer.connectionRefused(REFUSED_MEMORY_BUDGET);
  }

  /** A message started and did not arrive completely in time; its connection was closed. */
  public void readTimedOut() {
    readTimeouts.increment();
    observer.connectionRefused(REFUSED_READ_DEADLINE);
  }

  /** A config of {@code plugin} was larger than the limit; the instance was not started. */
  public void configOverLimit(String plugin) {
    configsOverLimit.increment();
    observer.configOverLimit(plugin);
  }

  /** Accepting or setting up a connection failed (for example, out of file descriptors). */
  public void acceptFailed() {
    acceptFailures.increment();
    observer.acceptFailed();
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
   * An event answered with the plugin's failure policy without running its handler (over the cap
   * on events in flight, or on a connection over the connection cap).
   */
  public void eventShed(String plugin, Phase phase) {
    eventsShed.increment();
    observer.eventShed(plugin, phase);
  }

  /** An event whose connection Kong closed while the handler ran (Kong gave up on it). */
  public void eventLost(String plugin, Phase phase) {
    eventsLost.increment();
    observer.eventLost(plugin, phase);
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
