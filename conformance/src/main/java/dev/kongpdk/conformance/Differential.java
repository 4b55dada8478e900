package dev.kongpdk.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kongpdk.testkit.Entities;
import dev.kongpdk.testkit.PluginTester;
import dev.kongpdk.testkit.TestRequest;
import dev.kongpdk.testkit.TestResult;
import dev.kongpdk.testkit.UpstreamRequest;
import dev.kongpdk.testkit.UpstreamResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The differential test: runs every row that ran through real Kong again through the testkit's
 * {@code FakeKong}, with the same probe, request and upstream (an echo like the harness's), and
 * compares what the probe's Java call returned or threw, the client's status and {@code x-}
 * headers, and what reached the upstream. Every difference is either listed in {@link #KNOWN}
 * with its reason (and in docs/testing.md) or fails the run.
 *
 * <pre>
 *   Differential RESULTS.json OUT.json
 * </pre>
 *
 * <p>Exit status 0 when every difference is explained.
 */
public final class Differential {

  /**
   * Differences between FakeKong and the harness that are understood, by row id: the reason
   * says which side is not Kong and why it stays so.
   */
  static final Map<Pattern, String> KNOWN = known();

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Upstream headers compared: the ones the rows send or set. */
  private static final Set<String> UPSTREAM_HEADERS =
      Set.of("x-c", "x-d", "x-single", "x-multi", "content-type", "content-length");

  private Differential() {}

  private static Map<Pattern, String> known() {
    Map<Pattern, String> known = new LinkedHashMap<>();
    known.put(Pattern.compile("^service-request-(setRawQuery|setQuery|clearQueryArg|setPath).*@access$"),
        "harness: it puts the query into the upstream URI when it routes, before access; Kong 3.9.3 (and"
            + " FakeKong) append the query after access, so an access-phase change reaches the upstream");
    known.put(Pattern.compile("^service-request-clearQueryArg-String@rewrite$"),
        "order only: Kong rebuilds the query from a Lua table, so the remaining arguments come in"
            + " Lua's table order; FakeKong keeps them sorted");
    known.put(Pattern.compile("^request-getForwardedPrefix@(access|response)$"),
        "harness: its router does not set $upstream_x_forwarded_prefix (Kong's sets the stripped"
            + " prefix, \"/c\" here, as FakeKong answers)");
    known.put(Pattern.compile("^request-getUriCaptures@(access|response|log)$"),
        "harness: its stand-in router reports the whole path as capture 0 for a prefix route; FakeKong"
            + " reports the captures the test request names (TestRequest.unnamedCaptures)");
    known.put(Pattern.compile("^response-getHeaders(-int)?@(response|log)$"),
        "nginx adds Connection (and Date, Server) to the client response; FakeKong's responses carry"
            + " only the headers the upstream and the plugins set");
    known.put(Pattern.compile("^service-setTarget-String-int@access$"),
        "FakeKong has no network: its upstream function answers whatever target a plugin sets (the"
            + " harness got 502 from a closed port)");
    known.put(Pattern.compile("^service-setTlsVerify(Depth)?-(boolean|int)@(rewrite|access)$"),
        "harness: its nginx lacks Kong's TLS patches, so Kong answers nil, err; with them (and in"
            + " FakeKong) the call succeeds");
    return known;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: Differential RESULTS.json OUT.json");
      System.exit(2);
    }
    JsonNode real = JSON.readTree(Path.of(args[0]).toFile());
    Map<String, JsonNode> realRows = new LinkedHashMap<>();
    real.path("rows").forEach(r -> realRows.put(r.path("id").asText(), r));
    Path socket = Files.createTempDirectory("differential").resolve("report.socket");
    List<ObjectNode> differences = new ArrayList<>();
    int compared = 0;
    int unexplained = 0;
    try (ReportListener reports = new ReportListener(socket)) {
      String config = "{\"report\":" + JSON.writeValueAsString(socket.toString()) + ",\"closed_port\":1}";
      for (Case c : Cases.all()) {
        JsonNode realRow = realRows.get(c.id());
        if (realRow == null || !realRow.has("client")) {
          continue; // not run on real Kong
        }
        compared++;
        Fake fake = runFake(c, config, real.path("port").asInt(), reports);
        List<String> diffs = compare(realRow, fake);
        if (diffs.isEmpty()) {
          continue;
        }
        String reason = null;
        for (Map.Entry<Pattern, String> k : KNOWN.entrySet()) {
          if (k.getKey().matcher(c.id()).find()) {
            reason = k.getValue();
          }
        }
        ObjectNode d = JSON.createObjectNode();
        d.put("id", c.id());
        d.put("differences", String.join("; ", diffs));
        d.put("known", reason);
        differences.add(d);
        if (reason == null) {
          unexplained++;
          System.err.println("UNEXPLAINED " + c.id() + ": " + String.join("; ", diffs));
        }
      }
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("kong", real.path("kong").asText());
    out.put("rowsCompared", compared);
    out.put("differences", differences.size());
    out.put("unexplained", unexplained);
    out.putPOJO("rows", differences);
    Files.writeString(Path.of(args[1]), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
    System.err.printf(Locale.ROOT, "FakeKong vs Kong %s: %d rows compared, %d differ, %d unexplained%n",
        real.path("kong").asText(), compared, differences.size(), unexplained);
    System.exit(unexplained == 0 ? 0 : 1);
  }

  /** What FakeKong produced for a row. */
  private record Fake(JsonNode report, int status, Map<String, List<String>> headers, JsonNode upstream, String failure) {}

  private static Fake runFake(Case c, String config, int port, ReportListener reports)
      throws InterruptedException {
    Request r = c.request();
    // the same URL as the real run's, so the port Kong reports matches FakeKong's
    TestRequest.Builder request = TestRequest.builder(r.method(), "http://127.0.0.1:" + port + "/c" + r.path())
        .header(ProbePlugin.CASE_HEADER, c.id());
    r.headers().forEach(h -> request.header(h.getKey(), h.getValue()));
    if (r.body().length > 0) {
      // as the HTTP client the driver uses sends it
      request.body(r.body()).header("content-length", Integer.toString(r.body().length));
    }
    TestResult result;
    try {
      result = PluginTester.forPlugin(ProbePlugin.class)
          .config(config)
          .request(request)
          .kong(k -> k.route(Entities.route("c", "/c", "00000000-0000-4000-8000-000000000c01")))
          .upstream(Differential::echo)
          .run();
    } catch (RuntimeException | AssertionError e) {
      return new Fake(null, 0, Map.of(), null, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    JsonNode report = reports.await(c.id(), Duration.ofSeconds(2));
    Map<String, List<String>> headers = new TreeMap<>();
    result.response().headers().asMap().forEach((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith("x-") && !lower.startsWith("x-kong")) {
        headers.put(lower, values);
      }
    });
    // seen from the client, as on the harness: the echo upstream's answer, when it reached the client
    JsonNode upstream = null;
    if (result.response().header("X-Echo-Upstream").isPresent()) {
      try {
        upstream = JSON.readTree(result.response().body());
      } catch (java.io.IOException e) {
        upstream = null;
      }
    }
    if (upstream != null && !upstream.has("method")) {
      upstream = null; // an exit replaced the echo's body
    }
    return new Fake(report, result.response().status(), headers, upstream, null);
  }

  /** The harness's echo upstream: 200, {@code X-Echo-Upstream: 1} and the request as JSON. */
  private static UpstreamResponse echo(UpstreamRequest request) {
    try {
      return UpstreamResponse.status(200).header("X-Echo-Upstream", "1")
          .json(JSON.writeValueAsString(view(request)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode view(UpstreamRequest request) {
    ObjectNode echo = JSON.createObjectNode();
    echo.put("method", request.method());
    echo.put("uri", request.pathWithQuery());
    ObjectNode headers = echo.putObject("headers");
    request.headers().asMap().forEach((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (values.size() == 1) {
        headers.put(lower, values.get(0));
      } else {
        values.forEach(headers.putArray(lower)::add);
      }
    });
    return echo;
  }

  static List<String> compare(JsonNode real, Fake fake) {
    List<String> diffs = new ArrayList<>();
    if (fake.failure() != null) {
      diffs.add("FakeKong failed: " + fake.failure());
      return diffs;
    }
    JsonNode realReport = real.get("report");
    if ((realReport == null || realReport.isNull()) != (fake.report() == null)) {
      diffs.add("the probe reported " + (fake.report() == null ? "nothing" : "something") + " on FakeKong, "
          + (realReport == null || realReport.isNull() ? "nothing" : "something") + " on Kong");
    } else if (fake.report() != null) {
      boolean realError = realReport.has("error");
      boolean fakeError = fake.report().has("error");
      if (realError != fakeError) {
        diffs.add("Java " + (realError ? "threw " + realReport.get("error").asText() : "returned " + realReport.get("value"))
            + " on Kong, " + (fakeError ? "threw " + fake.report().get("error").asText()
                : "returned " + fake.report().get("value")) + " on FakeKong");
      } else if (!realError) {
        String p = Same.problem(fake.report().get("value"), realReport.get("value"));
        if (p != null && !volatileValue(real.path("lua").asText())) {
          diffs.add("Java values differ (FakeKong vs Kong): " + p);
        }
      }
    }
    int realStatus = real.path("client").path("status").asInt();
    if (realStatus != fake.status()) {
      diffs.add("client status " + fake.status() + " on FakeKong, " + realStatus + " on Kong");
    }
    Map<String, List<String>> realHeaders = new TreeMap<>();
    real.path("client").path("headers").fields().forEachRemaining(e -> {
      List<String> values = new ArrayList<>();
      e.getValue().forEach(v -> values.add(v.asText()));
      realHeaders.put(e.getKey(), values);
    });
    if (!realHeaders.equals(fake.headers())) {
      diffs.add("client x- headers " + fake.headers() + " on FakeKong, " + realHeaders + " on Kong");
    }
    JsonNode realUp = real.get("upstream");
    boolean realReached = realUp != null && realUp.has("method");
    if (realReached != (fake.upstream() != null)) {
      diffs.add("the upstream was " + (fake.upstream() != null ? "" : "not ") + "reached on FakeKong, "
          + (realReached ? "" : "not ") + "on Kong");
    } else if (realReached) {
      if (!realUp.path("method").asText().equals(fake.upstream().path("method").asText())) {
        diffs.add("upstream method " + fake.upstream().path("method") + " on FakeKong, " + realUp.path("method") + " on Kong");
      }
      if (!realUp.path("uri").asText().equals(fake.upstream().path("uri").asText())) {
        diffs.add("upstream URI " + fake.upstream().path("uri") + " on FakeKong, " + realUp.path("uri") + " on Kong");
      }
      for (String name : UPSTREAM_HEADERS) {
        JsonNode a = realUp.path("headers").get(name);
        JsonNode b = fake.upstream().path("headers").get(name);
        if (a == null ? b != null : !a.equals(b)) {
          diffs.add("upstream " + name + ": " + b + " on FakeKong, " + a + " on Kong");
        }
      }
    }
    return diffs;
  }

  /** Values that differ between any two runs (clocks, ids, addresses, memory). */
  private static boolean volatileValue(String lua) {
    return Set.of("kong.nginx.req_start_time", "kong.request.get_start_time", "kong.node.get_id",
        "kong.node.get_hostname", "kong.node.get_memory_stats", "kong.nginx.get_statistics",
        "kong.log.serialize", "kong.cluster.get_id", "kong.plugin.get_id", "kong.router.get_route",
        "kong.router.get_service", "kong.client.get_port", "kong.client.get_forwarded_port",
        "kong.request.get_headers", "kong.service.response.get_raw_body", "kong.service.response.get_body")
        .contains(lua);
  }
}
