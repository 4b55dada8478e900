package dev.kongpdk.conformance;

import dev.kongpdk.Kong;
import dev.kongpdk.PdkException;
import dev.kongpdk.plugin.Phase;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stale-data experiment: request {@code n} carries {@code x-conformance-case: stale-<n>} (or
 * {@code stale-<n>-bad}) and the query {@code ?n=<n>}. In rewrite and access the probe reports the
 * header as Kong answers it next to {@code n} read live from the query; in access it also stores
 * {@code n} in {@code kong.ctx.shared} and {@code ngx.ctx} and ends the request with status
 * {@code 400 + n % 50}. In the log phase it reports the header, the status and both contexts as
 * Kong answers them, and for a {@code -bad} request it then calls {@code kong.response.set_status},
 * which Kong does not allow in the log phase. The driver counts the later requests that were
 * answered another request's data.
 */
final class StaleData {

  static final String PREFIX = "stale-";
  static final String KEY = "conformance_stale";

  private StaleData() {}

  /** Returns the status request {@code n} ends with. */
  static int status(int n) {
    return 400 + n % 50;
  }

  static Map<String, Object> inPhase(Phase phase, Kong kong, String id) {
    String[] parts = id.split("-");
    int n = Integer.parseInt(parts[1]);
    boolean bad = parts.length > 2 && parts[2].equals("bad");
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
        if (bad) {
          try {
            kong.response().setStatus(500);
            report.put("setStatus", "returned");
          } catch (PdkException e) {
            report.put("setStatus", e.getMessage());
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
