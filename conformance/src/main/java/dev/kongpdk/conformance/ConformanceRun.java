package dev.kongpdk.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kongpdk.plugin.KongVersion;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Runs every row of {@link Cases} through a running harness whose global plugin is the
 * {@link ProbePlugin}, then judges each row from the probe's report, Kong's trace and what the
 * client and upstream saw, and writes the results as JSON.
 *
 * <pre>
 *   ConformanceRun --kong 3.9.3 --port 18300 --prefix /tmp/h --report SOCK --out results.json [--only REGEX]
 * </pre>
 *
 * <p>Exit status 0 when no row failed, 1 otherwise, 2 on bad arguments.
 */
public final class ConformanceRun {

  /** Marks the message of a call the typed API refused before sending it. */
  public static final String REFUSED_MARK = "not sent to Kong";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /**
   * How long to wait for a row's report after the client got its response: a little more than the
   * plugin server's event timeout (3 s in run.sh), after which a call Kong never answered fails.
   */
  private static final Duration REPORT_WAIT = Duration.ofSeconds(5);

  private final String kong;
  private final KongVersion version;
  private final int port;
  private final Path prefix;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private ConformanceRun(String kong, int port, Path prefix) {
    this.kong = kong;
    this.version = kong.startsWith("2.") ? KongVersion.KONG_2 : KongVersion.KONG_3;
    this.port = port;
    this.prefix = prefix;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = options(args);
    if (!opts.keySet().containsAll(List.of("kong", "port", "prefix", "report", "out"))) {
      System.err.println("usage: ConformanceRun --kong VERSION --port N --prefix DIR --report SOCK --out FILE [--only REGEX]");
      System.exit(2);
    }
    ConformanceRun run = new ConformanceRun(opts.get("kong"), Integer.parseInt(opts.get("port")),
        Path.of(opts.get("prefix")));
    Pattern only = opts.containsKey("only") ? Pattern.compile(opts.get("only")) : null;
    int failed;
    try (ReportListener reports = new ReportListener(Path.of(opts.get("report")))) {
      failed = run.run(reports, only, Path.of(opts.get("out")));
    }
    System.exit(failed == 0 ? 0 : 1);
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    return opts;
  }

  private int run(ReportListener reports, Pattern only, Path out) throws Exception {
    long started = System.nanoTime();
    List<Case> cases = new ArrayList<>();
    for (Case c : Cases.all()) {
      if (only == null || only.matcher(c.id()).find()) {
        cases.add(c);
      }
    }
    Map<String, Sent> sent = new LinkedHashMap<>();
    for (Case c : cases) {
      if (!Cases.RUNNABLE.contains(c.phase()) || c.check(version).skip() != null) {
        continue;
      }
      Observed seen = send(c.request(), c.id());
      JsonNode report = reports.await(c.id(), REPORT_WAIT);
      sent.put(c.id(), new Sent(seen, report));
    }
    String log = Files.readString(prefix.resolve("logs/error.log"), StandardCharsets.ISO_8859_1);
    Trace trace = Trace.parse(log);
    ArrayNode rows = JSON.createArrayNode();
    Map<String, Integer> counts = new TreeMap<>();
    for (Case c : cases) {
      Sent s = sent.get(c.id());
      Verdict v = c.check(version).skip() != null ? new Verdict("not-run", c.check(version).skip())
          : s == null ? new Verdict("not-run", "the harness serves plain HTTP to a global plugin: no "
              + c.phase().luaName() + " phase")
          : Judge.judge(c, c.check(version), s.report, s.seen.withLog(log), trace, log);
      counts.merge(v.status(), 1, Integer::sum);
      ObjectNode row = rows.addObject();
      row.put("id", c.id());
      row.put("method", c.method());
      row.put("lua", c.lua());
      row.put("phase", c.phase().luaName());
      row.put("status", v.status());
      row.put("detail", v.detail());
      if (s != null) {
        // what the differential test compares with FakeKong
        row.set("report", s.report);
        ObjectNode client = row.putObject("client");
        client.put("status", s.seen.status());
        ObjectNode headers = client.putObject("headers");
        s.seen.headers().forEach((name, values) -> {
          if (name.startsWith("x-") && !name.equals("x-kong-request-id")) {
            values.forEach(headers.putArray(name)::add);
          }
        });
        row.set("upstream", s.seen.upstream());
      }
      if (v.status().equals("fail")) {
        System.err.println("FAIL " + c.id() + ": " + v.detail());
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    ObjectNode result = JSON.createObjectNode();
    result.put("kong", kong);
    result.put("protocol", "MsgPack:1");
    result.put("port", port); // the proxy port the rows went through, which some values echo
    result.put("seconds", Math.round(seconds * 10) / 10.0);
    result.set("rows", rows);
    Files.createDirectories(out.toAbsolutePath().getParent());
    JSON.writeValue(out.toFile(), result);
    System.err.printf(Locale.ROOT, "Kong %s: %d rows in %.1f s: %s%n", kong, cases.size(), seconds, counts);
    return counts.getOrDefault("fail", 0);
  }

  private record Sent(Observed seen, JsonNode report) {}

  /** A driver that only sends requests, for other experiments against the same harness. */
  static ConformanceRun client(int port) {
    return new ConformanceRun("", port, Path.of("."));
  }

  Observed send(Request request, String id) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/c" + request.path()))
        .timeout(Duration.ofSeconds(20))
        .method(request.method(), request.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(request.body()))
        .header(ProbePlugin.CASE_HEADER, id);
    for (Map.Entry<String, String> h : request.headers()) {
      b.header(h.getKey(), h.getValue());
    }
    HttpResponse<byte[]> response = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    Map<String, List<String>> headers = new TreeMap<>();
    response.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
    JsonNode upstream = null;
    if (headers.containsKey("x-echo-upstream")) {
      try {
        upstream = JSON.readTree(response.body());
      } catch (IOException e) {
        upstream = null;
      }
      if (upstream != null && !upstream.has("method")) {
        upstream = null; // an exit replaced the echo's body
      }
    }
    return new Observed(response.statusCode(), headers, response.body(), upstream, "");
  }
}
