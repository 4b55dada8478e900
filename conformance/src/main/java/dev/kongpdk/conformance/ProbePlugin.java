package dev.kongpdk.conformance;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kongpdk.Kong;
import dev.kongpdk.PdkException;
import dev.kongpdk.plugin.AccessPhase;
import dev.kongpdk.plugin.KongPlugin;
import dev.kongpdk.plugin.LogPhase;
import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.ResponsePhase;
import dev.kongpdk.plugin.RewritePhase;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The plugin the suite runs in Kong. A request names the row it is for in {@link #CASE_HEADER}; in
 * that row's phase the probe calls the row's typed method and reports what it returned (or threw)
 * over a Unix socket to the driver. It is also the log-phase plugin of the stale-data experiment
 * ({@link StaleData}).
 */
@KongPlugin(name = "conformance-probe", version = "0.1.0", priority = 900)
public final class ProbePlugin implements RewritePhase, AccessPhase, ResponsePhase, LogPhase {

  /** The request header that names the row. */
  public static final String CASE_HEADER = "x-conformance-case";

  /**
   * The probe's config.
   *
   * @param report the driver's Unix socket, where reports go
   * @param closedPort a local port nothing listens on (for {@code set_target})
   */
  public record Config(
      @JsonProperty(value = "report", required = true) String report,
      @JsonProperty(value = "closed_port", required = true) int closedPort) {}

  private final Config config;
  private final Map<String, Case> cases;
  private final Reporter reporter;

  public ProbePlugin(Config config) {
    this.config = config;
    this.cases = Cases.byId();
    this.reporter = new Reporter(java.nio.file.Path.of(config.report()));
  }

  @Override
  public void rewrite(Kong kong) {
    run(Phase.REWRITE, kong);
  }

  @Override
  public void access(Kong kong) {
    run(Phase.ACCESS, kong);
  }

  @Override
  public void response(Kong kong) {
    run(Phase.RESPONSE, kong);
  }

  @Override
  public void log(Kong kong) {
    run(Phase.LOG, kong);
  }

  private void run(Phase phase, Kong kong) {
    String id = kong.request().getHeader(CASE_HEADER).orElse(null);
    if (id == null) {
      return;
    }
    if (id.startsWith(StaleData.PREFIX)) {
      Map<String, Object> report = StaleData.inPhase(phase, kong, id);
      if (report != null) {
        reporter.send(report);
      }
      if (phase == Phase.ACCESS) {
        StaleData.exit(kong, id);
      }
      return;
    }
    Case c = cases.get(id);
    if (c == null || c.phase() != phase) {
      return;
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("id", id);
    try {
      report.put("value", Canonical.of(c.call().apply(kong, config)));
    } catch (PdkException e) {
      report.put("error", e.getMessage());
    } catch (RuntimeException e) {
      report.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    reporter.send(report);
  }
}
