package dev.kongpdk.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The stale-data experiment ({@link StaleData}) against a running harness, in two passes of
 * {@code requests} requests sent one after the other: every {@code badEvery}-th request's log
 * handler calls a function the log phase does not allow, first through the typed API (refused
 * before sending), then through {@code kong.call} (reaches Kong). Counts, per pass, the other
 * requests that were answered another request's data in rewrite, access or log, or got no
 * response.
 *
 * <pre>
 *   StaleRun --port N --report SOCK --out FILE [--requests 40] [--bad-every 4]
 * </pre>
 */
public final class StaleRun {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(6);

  private StaleRun() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = ConformanceRun.options(args);
    int port = Integer.parseInt(opts.get("port"));
    int requests = Integer.parseInt(opts.getOrDefault("requests", "40"));
    int badEvery = Integer.parseInt(opts.getOrDefault("bad-every", "4"));
    ConformanceRun http = ConformanceRun.client(port);
    ObjectNode result = JSON.createObjectNode();
    try (ReportListener reports = new ReportListener(Path.of(opts.get("report")))) {
      // typed first: once a call has reached Kong and raised, the stale data stays
      result.set("typed", pass(http, reports, "typed", 1, requests, badEvery));
      result.set("raw", pass(http, reports, "raw", requests + 1, requests, badEvery));
    }
    String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result);
    Files.writeString(Path.of(opts.get("out")), text);
    System.out.println(text);
  }

  /** Sends {@code requests} requests numbered from {@code first}; every {@code badEvery}-th is bad. */
  private static ObjectNode pass(ConformanceRun http, ReportListener reports, String kind, int first, int requests,
      int badEvery) throws InterruptedException {
    int bad = 0;
    int refused = 0;
    int good = 0;
    int stale = 0;
    List<String> examples = new ArrayList<>();
    for (int n = first; n < first + requests; n++) {
      boolean isBad = (n - first) % badEvery == 0;
      String id = StaleData.PREFIX + n + (isBad ? "-" + kind : "");
      List<String> problems = new ArrayList<>();
      try {
        Observed seen = http.send(new Request("GET", "/s?n=" + n, List.of(), new byte[0]), id);
        if (seen.status() != StaleData.status(n)) {
          problems.add("client got " + seen.status() + " instead of " + StaleData.status(n));
        }
      } catch (IOException e) {
        problems.add("no response: " + e.getMessage());
      }
      JsonNode log = null;
      for (int i = 0; i < 3; i++) {
        JsonNode r = reports.next(WAIT);
        if (r == null) {
          problems.add("only " + i + " of 3 reports");
          break;
        }
        String phase = r.path("phase").asText();
        if (!r.path("header").asText().equals(id)) {
          problems.add(phase + " read header " + r.path("header").asText());
        }
        if (phase.equals("log")) {
          log = r;
          if (r.path("status").asInt() != StaleData.status(n) || r.path("shared").asInt() != n
              || r.path("ctx").asInt() != n) {
            problems.add("log read status " + r.path("status") + ", shared " + r.path("shared") + ", ctx "
                + r.path("ctx"));
          }
        } else if (r.path("n").asInt() != n) {
          problems.add(phase + " got the report of request " + r.path("n"));
        }
      }
      if (isBad) {
        bad++;
        if (log != null && log.path("badCall").asText().contains(ConformanceRun.REFUSED_MARK)) {
          refused++;
        }
      } else {
        good++;
        if (!problems.isEmpty()) {
          stale++;
          if (examples.size() < 3) {
            examples.add("request " + n + ": " + String.join("; ", problems));
          }
        }
      }
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("badRequests", bad);
    out.put("badCallsRefusedInJava", refused);
    out.put("otherRequests", good);
    out.put("otherRequestsWithWrongData", stale);
    out.putPOJO("examples", examples);
    return out;
  }
}
