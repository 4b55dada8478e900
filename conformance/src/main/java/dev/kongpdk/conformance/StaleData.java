package dev.kongpdk.conformance;

import dev.kongpdk.Kong;
import dev.kongpdk.PdkException;
import dev.kongpdk.plugin.Phase;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stale-data experiment: request {@code n} carries {@code x-conformance-case: stale-<n>} (or
 * {@code stale-<n>-typed}, {@code stale-<n>-raw}) and the query {@code ?n=<n>}. In rewrite and access the probe reports the
 * header as Kong answers it next to {@code n} read live from the query; in access it also stores
 * {@code n} in {@code kong.ctx.shared} and {@code ngx.ctx} and ends the request with status
 * {@code 210 + n % 40}. In the log phase it reports the header, the status and both contexts as
 * Kong answers them; a {@code -typed} request then calls {@code kong.response().setStatus}, which
 * the typed API refuses in the log phase, a {@code -raw} request {@code
 * kong.call("kong.response.set_raw_body")}, which no typed method calls, so it reaches Kong, which
 * raises (body_filter only). The driver counts the later requests that were
 * answered another request's data.
 */
final class StaleData {

  static final String PREFIX = "stale-";
  static final String KEY = "conformance_stale";

  private StaleData() {}

  /** Returns the status request {@code n} ends with. */
  static int status(int n) {
    return 210 + n % 40; // no 204/205 (no body) and none that nginx treats specially (408, 444)
  }

  static Map<String, Object> inPhase(Phase phase, Kong kong, String id) {
    String[] parts = id.split("-");
    int n = Integer.parseInt(parts[1]);
    String bad = parts.length > 2 ? parts[2] : "";
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("phase", phase.luaName());
    report.put("header", id);
    switch (phase) {
      case REWRITE -> {
        // the query is read live, never from saved data: it is the request's own number
        report.put("n", Long.parseLong(kong.request().getQueryArg("n").orElse("-1")));
        return report;
      }
      case ACCESS -> {
        report.put("n", Long.parseLong(kong.request().getQueryArg("n").orElse("-1")));
        kong.ctx().shared().set(KEY, (long) n);
        kong.nginx().setCtx(KEY, (long) n);
        return report; // the probe reports, then ends the request
      }
      case LOG -> {
        report.put("status", kong.response().getStatus());
        report.put("shared", kong.ctx().shared().getLong(KEY).orElse(-1));
        report.put("ctx", kong.nginx().getCtxLong(KEY).orElse(-1));
        if (!bad.isEmpty()) {
          try {
            if (bad.equals("typed")) {
              kong.response().setStatus(500);
            } else {
              // a function no typed method calls, so the kit cannot know Kong refuses it here
              kong.call("kong.response.set_raw_body", "x");
            }
            report.put("badCall", "returned");
          } catch (PdkException e) {
            report.put("badCall", e.getMessage());
          }
        }
        return report;
      }
      default -> {
        return null;
      }
    }
  }

  /** Ends request {@code n} in access, after its report went out. */
  static void exit(Kong kong, String id) {
    kong.response().exit(status(Integer.parseInt(id.split("-")[1])), "stale");
  }
}
