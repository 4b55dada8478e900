package dev.kongpdk.testkit;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What happened in one simulated request.
 *
 * @param response what the client received
 * @param upstreamRequest what Kong sent upstream; empty when the request was not proxied (an exit
 *     or an error before the upstream)
 * @param logs every {@code kong.log.*} line, and Kong's own error lines (plugin {@code kong})
 * @param calls every PDK call with Kong's answer, in order
 * @param ctxShared {@code kong.ctx.shared} at the end of the request
 * @param pluginFailures exceptions thrown by plugins (Kong got a 500 or, fail-open, nothing)
 * @param meters what the plugins recorded through their {@code PluginMetrics} (in-process runs)
 */
public record TestResult(
    ClientResponse response,
    Optional<UpstreamRequest> upstreamRequest,
    List<LogEntry> logs,
    List<PdkCall> calls,
    Map<String, Object> ctxShared,
    List<Throwable> pluginFailures,
    RecordedMeters meters) {

  /** Copies the lists so that the result stays immutable. */
  public TestResult {
    java.util.Objects.requireNonNull(meters, "meters");
    logs = List.copyOf(logs);
    calls = List.copyOf(calls);
    ctxShared = Map.copyOf(ctxShared);
    pluginFailures = List.copyOf(pluginFailures);
  }

  /**
   * Returns the log lines of one level.
   *
   * @param level {@code debug, info, notice, warn, err, crit, alert} or {@code emerg}
   * @return the lines in order
   */
  public List<LogEntry> logs(String level) {
    return logs.stream().filter(l -> l.level().equals(level)).toList();
  }

  /**
   * Returns the calls of one Lua function.
   *
   * @param method for example {@code kong.request.get_header}
   * @return the calls in order
   */
  public List<PdkCall> callsTo(String method) {
    return calls.stream().filter(c -> c.method().equals(method)).toList();
  }

  /** Returns whether the request reached the upstream. */
  public boolean proxied() {
    return upstreamRequest.isPresent();
  }
}
