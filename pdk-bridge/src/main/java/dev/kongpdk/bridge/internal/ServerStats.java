package dev.kongpdk.bridge.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters an operator can read through {@code plugin.GetStatus}. */
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
  final LongAdder connectionsShed = new LongAdder();
  final LongAdder messagesOverLimit = new LongAdder();
  final LongAdder readTimeouts = new LongAdder();
  final LongAdder configsOverLimit = new LongAdder();
  final LongAdder acceptFailures = new LongAdder();
  final LongAdder eventMicrosTotal = new LongAdder();
  final java.util.concurrent.atomic.AtomicLong eventMicrosMax = new java.util.concurrent.atomic.AtomicLong();

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
  }

  public void rpcError() {
    rpcErrors.increment();
  }

  public void rejectedPeer() {
    rejectedPeers.increment();
  }

  /** A connection arrived beyond the connection limit. */
  public void connectionShed() {
    connectionsShed.increment();
  }

  /** A message broke a size limit or did not fit the memory budget; its connection was closed. */
  public void messageOverLimit() {
    messagesOverLimit.increment();
  }

  /** A message started and did not arrive completely in time; its connection was closed. */
  public void readTimedOut() {
    readTimeouts.increment();
  }

  /** A plugin config was larger than the limit. */
  public void configOverLimit() {
    configsOverLimit.increment();
  }

  /** Accepting a connection failed (for example, out of file descriptors). */
  public void acceptFailed() {
    acceptFailures.increment();
  }

  /** Records how long an event took, from HandleEvent to its end. */
  public void eventTook(long nanos) {
    long micros = nanos / 1000;
    eventMicrosTotal.add(micros);
    eventMicrosMax.accumulateAndGet(micros, Math::max);
  }

  public void instancesExpired(int count) {
    instancesExpired.add(count);
  }

  // Counted from other packages (the ProtoBuf connections).

  public void eventStarted() {
    eventsStarted.increment();
  }

  public void eventCompleted() {
    eventsCompleted.increment();
  }

  public void eventFailed() {
    eventsFailed.increment();
  }

  public void eventTimedOut() {
    eventsTimedOut.increment();
  }

  public void eventExited() {
    eventsExited.increment();
  }

  public void instanceStarted() {
    instancesStarted.increment();
  }

  public void instanceRejected() {
    instancesRejected.increment();
  }
}
