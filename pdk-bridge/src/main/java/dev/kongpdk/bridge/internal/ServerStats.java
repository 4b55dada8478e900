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

  /** A snapshot, by counter name. */
  public Map<String, Object> snapshot() {
    Map<String, Object> counters = new LinkedHashMap<>();
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
    return counters;
  }

  public void malformedMessage() {
    malformedMessages.increment();
  }

  public void rpcError() {
    rpcErrors.increment();
  }

  public void instancesExpired(int count) {
    instancesExpired.add(count);
  }
}
