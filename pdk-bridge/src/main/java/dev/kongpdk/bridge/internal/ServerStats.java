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
  final LongAdder eventsShed = new LongAdder();
  final LongAdder eventsLost = new LongAdder();
  final LongAdder instancesStarted = new LongAdder();
  final LongAdder instancesRejected = new LongAdder();
  final LongAdder instancesExpired = new LongAdder();
  final LongAdder rpcErrors = new LongAdder();
  final LongAdder malformedMessages = new LongAdder();
  final LongAdder rejectedPeers = new LongAdder();
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
    counters.put("EventsShed", eventsShed.sum());
    counters.put("EventsLost", eventsLost.sum());
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
  }

  public void rpcError() {
    rpcErrors.increment();
  }

  public void rejectedPeer() {
    rejectedPeers.increment();
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

  /** Counts a new event refused because the cap on events in flight was reached. */
  public void eventShed() {
    eventsShed.increment();
  }

  /** Counts an event whose connection Kong closed while the handler ran (Kong gave up on it). */
  public void eventLost() {
    eventsLost.increment();
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
