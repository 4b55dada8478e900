package dev.kongpdk.benchmarks.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The leading section of {@code docs/performance.md}: the plugin servers measured through Kong's
 * own plugin-server code by {@code benchmarks/kong-run.sh} ({@code results/kong/kong.jsonl}, one
 * line per Kong version, nginx workers, server, connections and round), with the issue's targets.
 */
final class KongReport {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SERVERS =
      List.of("java", "java-pb", "js", "go", "floor", "min-c-threads", "min-java-loop");
  private static final Map<String, String> NAMES = Map.of(
      "java", "Java kit, MessagePack", "java-pb", "Java kit, ProtoBuf",
      "js", "JavaScript kit 0.6.0 (MessagePack)", "go", "go-pdk 0.11.0 (ProtoBuf)",
      "floor", "floor: `/noplugin`, no plugin",
      "min-c-threads", "minimum: C, a thread per connection, canned answers",
      "min-java-loop", "minimum: Java, one event loop, canned answers");
  /** The setting the targets are judged at: the (Kong 3.9.3, one worker, wrk -c10). */
  private static final String KONG = "3.9";
  private static final int WORKERS = 1;
  private static final int CONNECTIONS = 10;

  /**
   * What was changed (or tried) for Kong's pace, with the exploratory alternated runs that decided
   * it: {@code kong-run.sh} with {@code SERVERS="a=/path/to/launcher b=..."}, and {@code perf stat}
   * on the server for system calls and context switches. Not part of the run above.
   */
  private static final String CHANGES = """
      ### What was changed for Kong's pace

      Found by profiling the servers under Kong (`perf` with the JIT's symbol map, `perf stat`
      for system calls and context switches, `/proc` per thread), decided by alternated rounds
      through Kong 3.9.3 with one worker on the same shared machine, which other builds kept at a
      load average of 11-18 throughout: single figures there moved by a factor of two, so only
      repeated directions were kept.

      - **Where the CPU goes.** About two thirds of the MessagePack server's CPU under Kong is in
        the kernel, mostly switching threads: every message Kong sends wakes the thread that
        waits for it (about 3.3 context switches per request: one per message). Compiled Java
        code (codec, dispatch, selector, plugin) is about a fifth; garbage collection about 3.5
        young collections a second at 3,000 requests/s, a few tenths of a percent. The JavaScript
        kit's single event loop serves several ready connections per wake-up (about 1.1 context
        switches per request at 10 connections), which is why its CPU per request is close to
        this kit's through Kong although it costs 1.7 to 2.7 times more at the driver (across runs).
      - **ProtoBuf handlers on the thread that reads the connection.** A ProtoBuf event holds
        its connection for its whole life, so handing it to a pooled handler thread bought
        nothing but two wake-ups per event. The handler now runs where the connection is read;
        the janitor enforces the event timeout (answering Kong, moving the connection to a new
        thread and interrupting a stuck handler, or closing the connection when Kong does not
        answer). 4 alternated rounds: plugin-server CPU per request 163 → 105 µs at 10
        connections and 290 → 145 µs at 1 (medians).
      - **ProtoBuf waits on a selector, reads buffered.** A thread blocked in a Unix socket read
        is woken every time Kong reads what the server wrote, not only when input arrives; an
        epoll wait is woken only for input. Context switches per request 6.2 → 4.4 at 10
        connections and 6.7 → 4.5 at 1. Kong writes a frame's length and bytes separately; one
        buffered read takes both when both are there (system calls per request 8.3 → 7.0 before
        the selector; 11 with its `epoll_wait`), and writes reuse one direct buffer.
      - **C2 only** (`-XX:-TieredCompilation` in the launcher, for serving; `-dump` keeps C1).
        3 alternated rounds through Kong 3.9.3, one worker (medians, default against C2 only):
        RSS under load 64.2 → 60.0 MiB over MessagePack and 71.1 → 67.0 MiB over ProtoBuf at 10
        connections (63.9 → 60.4 and 71.7 → 65.6 at 1); CPU per request 58.8 → 58.7 µs
        (MessagePack) and 64.0 → 64.0 µs (ProtoBuf) at 10 connections, 71.6 → 60.4 and 67.3 →
        63.6 µs at 1. In a 1-minute hung-dependency storm (`docs/reliability.md`) RSS ended 0.1%
        above its baseline instead of 6.8%, with a baseline 7.5 MiB lower. The price is the
        warm-up: code runs interpreted until C2 compiles it after about 10,000 calls, where C1
        compiled it after a few hundred. From a cold start at 20 requests/s, the server used
        2.32 s of CPU in the first minute against 1.73 s, and the median latency seen by the
        client was about 1 ms higher for the first half minute.
      - **ProtoBuf without protobuf-java's descriptors.** The frame-size estimate, the PDK
        method table and the entity results (`kong.router.get_route`, `kong.client.authenticate`
        and the like) came from the descriptors of the compiled `.proto`; building them (with
        `descriptor.proto`, which the file imports for its `MethodName` option) loaded 334
        protobuf classes and their objects into every ProtoBuf server. They now come from the
        `.proto`'s own text, bundled with the bridge and checked field by field and rpc by rpc
        against the descriptors in the tests; a serving ProtoBuf server loads 116 protobuf
        classes. 4 alternated rounds through Kong 3.9.3, one worker (medians, before → after):
        RSS under load 67.3 → 63.3 MiB at 10 connections and 65.7 → 62.9 MiB at 1; CPU per
        request 68.8 → 68.2 µs at 10 connections and 69.9 → 71.5 µs at 1, within the rounds'
        spread.
      - **Where the peak RSS comes from.** The C2 compiler builds each hot method's code in
        arenas it gives back when done, and the largest compilations inline a whole event
        (`-XX:CompileCommand=memstat`, Kong 3.9.3, one worker): over ProtoBuf
        `PbConnection.handleEvent` with the handler, the PDK call and the codec inlined took
        19.3 MB, `PdkCodec.encodeArgs` 9.7 MB; over MessagePack `MsgpackServer.runEvent` 8.0 MB
        and `RpcDispatcher.route` 7.3 MB. They come at start-up, and again when new connections
        or a worker's first requests take paths the compiled code had not seen (uncommon traps,
        then compiling anew). RSS returns to its level within seconds: traced every half second
        with 2 workers, 69.5 MiB at the end of a window in which the second worker first served,
        62.5 MiB 8 s later. Limiting C2's inlining did not lower the largest compilation
        (`-XX:LiveNodeCountInliningCutoff=15000`: 19.3 MB; `-XX:MaxInlineLevel=9`: 19.5 MB);
        compiling the handler on its own (`dontinline` for `PbConnection.runHandler`) shrank
        `handleEvent`'s to 10.7 MB, but protobuf's `AbstractParser.parseFrom` then took 13.5 MB.
      - **Tried and not kept:** ProtoBuf connections on virtual threads (CPU per request 290 →
        505 µs at 1 connection and 148 → 181 µs at 10, RSS 4-13 MiB higher, 4 rounds);
        `SCHED_BATCH` for the server (`chrt -b`, so that a woken server thread does not preempt
        nginx): no fewer context switches; spinning up to 20 µs on a frame whose bytes had
        not all arrived: 10.1 → 24.6 system calls per request at 10 connections and no fewer
        context switches; `-XX:+UseCompactObjectHeaders -XX:-UsePerfData` in the launcher: CPU
        per request and RSS within the noise of 3 rounds (RSS 62.8 against 62.6 MiB MessagePack,
        75.3 against 68.5 ProtoBuf at 10 connections); `-XX:ArchiveRelocationMode=0`, since the
        relocated class-data-sharing archives are about 19 MiB of the RSS, all of it resident:
        RSS no lower (63.3 against 63.0 MiB MessagePack, 72.1 against 70.2 ProtoBuf, one window
        each), and it would give up the archives' address randomisation; a ProtoBuf server's
        class-data-sharing archive recorded while serving instead of by `-dump` (which loads
        none of the ProtoBuf serving classes): RSS 67.9-68.0 against 69.7-70.3 MiB, 2 alternated
        starts each, short of the 64 MiB target and needing a training run at install time;
        junixsocket instead of
        the JDK's sockets (see
        `docs/architecture.md`, "Transport").

      """;

  private final List<JsonNode> rows = new ArrayList<>();
  private final JsonNode machine;

  private KongReport(Path dir) throws IOException {
    for (String line : Files.readAllLines(dir.resolve("kong.jsonl"))) {
      if (!line.isBlank()) {
        rows.add(JSON.readTree(line));
      }
    }
    machine = JSON.readTree(dir.resolve("machine.json").toFile());
  }

  /** Returns the section, or an empty string when {@code dir} holds no run. */
  static String section(Path dir) throws IOException {
    if (!Files.exists(dir.resolve("kong.jsonl")) || !Files.exists(dir.resolve("machine.json"))) {
      return "";
    }
    return new KongReport(dir).markdown();
  }

  // ---- figures --------------------------------------------------------------------------------

  private List<JsonNode> rows(String kong, int workers, String server, int connections) {
    return rows.stream().filter(r -> r.get("kong").asText().equals(kong)
        && r.get("workers").asInt() == workers && r.get("server").asText().equals(server)
        && r.get("connections").asInt() == connections).toList();
  }

  private static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static List<Double> each(List<JsonNode> rows, ToDoubleFunction<JsonNode> f) {
    return rows.stream().map(r -> f.applyAsDouble(r)).toList();
  }

  private static double rps(JsonNode r) {
    return r.get("rps").asDouble();
  }

  /** The plugin server's VmRSS at the end of the window, KiB. */
  private static double rssKiB(JsonNode r) {
    return r.get("rssKiB").asDouble();
  }

  /** The plugin server's VmHWM (its highest RSS since it started) at the end of the window, KiB. */
  private static double peakKiB(JsonNode r) {
    return r.has("peakKiB") ? r.get("peakKiB").asDouble() : Double.NaN;
  }

  /** Plugin-server CPU per request, µs: its share of one core over the window divided by rps. */
  private static double serverUs(JsonNode r) {
    return rps(r) == 0 ? Double.NaN : r.get("psPct").asDouble() * 1e4 / rps(r);
  }

  private static double nginxUs(JsonNode r) {
    return rps(r) == 0 ? Double.NaN : r.get("ngxPct").asDouble() * 1e4 / rps(r);
  }

  private double med(String server, int connections, ToDoubleFunction<JsonNode> f) {
    return median(each(rows(KONG, WORKERS, server, connections), f));
  }

  private TreeSet<String> kongs() {
    TreeSet<String> kongs = new TreeSet<>((a, b) -> b.compareTo(a));
    rows.forEach(r -> kongs.add(r.get("kong").asText()));
    return kongs;
  }

  private TreeSet<Integer> ints(String field) {
    TreeSet<Integer> values = new TreeSet<>();
    rows.forEach(r -> values.add(r.get(field).asInt()));
    return values;
  }

  private static String f0(double v) {
    return Double.isNaN(v) ? "n/a" : String.format("%,.0f", v);
  }

  private static String f1(double v) {
    return Double.isNaN(v) ? "n/a" : String.format("%.1f", v);
  }

  private static String f2(double v) {
    return Double.isNaN(v) ? "n/a" : String.format("%.2f", v);
  }

  /** "median (min–max)". */
  private static String cell(List<Double> v, java.util.function.DoubleFunction<String> fmt) {
    if (v.isEmpty()) {
      return "n/a";
    }
    if (v.size() == 1) {
      return fmt.apply(v.get(0));
    }
    double min = v.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double max = v.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    return fmt.apply(median(v)) + " (" + fmt.apply(min) + "–" + fmt.apply(max) + ")";
  }

  private static String verdict(String target, String figure, boolean met) {
    return "| " + target + " | " + figure + " | " + (met ? "**met**" : "**not met**") + " |\n";
  }

  // ---- markdown -------------------------------------------------------------------------------

  private String markdown() {
    StringBuilder md = new StringBuilder("## Through Kong's own code\n\n");
    md.append("""
        The plugin servers as Kong runs them: started, queried and called by Kong's own
        plugin-server code (`mp_rpc.lua`, `pb_rpc.lua`, the PDK) in nginx, through the harness in
        `../shared/kong-harness`, with HTTP requests from `wrk` going through Kong to an echo
        upstream. Every server runs the go-hello workload: `kong.request.get_header("host")`, then
        `kong.response.set_header`. The floor is the same Kong with no plugin on the route: what
        nginx and Kong cost by themselves.

        Reproduce (%s; `QUICK=1` measures Kong 3.9.3 with one worker in one round, in about 2
        minutes):

        ```sh
        benchmarks/kong-run.sh
        ```

        """.formatted(machine.path("quick mode").asText().equals("1")
            ? "the figures below come from a quick run, which took " + machine.path("run took").asText()
            : "the full run below took " + machine.path("run took").asText() + " on this machine"));

    md.append("### Targets\n\n");
    md.append("Kong ").append(kongName(KONG)).append(", ").append(WORKERS)
        .append(" nginx worker, `wrk -t1 -c").append(CONNECTIONS)
        .append("`, medians of the alternated rounds of this run. CPU per request is the plugin ")
        .append("server's CPU time (all its threads, user + system) over the window divided by the ")
        .append("requests served.\n\n");
    md.append("| target | figure | met? |\n|---|---|---|\n");
    int c = CONNECTIONS;
    double mpRps = med("java", c, KongReport::rps);
    double jsRps = med("js", c, KongReport::rps);
    double pbRps = med("java-pb", c, KongReport::rps);
    double goRps = med("go", c, KongReport::rps);
    double mpUs = med("java", c, KongReport::serverUs);
    double jsUs = med("js", c, KongReport::serverUs);
    double pbUs = med("java-pb", c, KongReport::serverUs);
    double goUs = med("go", c, KongReport::serverUs);
    md.append(verdict("MessagePack: requests/s ≥ the JavaScript kit's",
        f0(mpRps) + " vs " + f0(jsRps) + " (" + f2(mpRps / jsRps) + "×)", mpRps >= jsRps));
    md.append(verdict("MessagePack: plugin-server CPU per request ≤ 0.5× the JavaScript kit's",
        f1(mpUs) + " vs " + f1(jsUs) + " µs (" + f2(mpUs / jsUs) + "×)", mpUs <= 0.5 * jsUs));
    md.append(verdict("ProtoBuf: requests/s ≥ go-pdk's",
        f0(pbRps) + " vs " + f0(goRps) + " (" + f2(pbRps / goRps) + "×)", pbRps >= goRps));
    md.append(verdict("ProtoBuf: plugin-server CPU per request ≤ go-pdk's",
        f1(pbUs) + " vs " + f1(goUs) + " µs (" + f2(pbUs / goUs) + "×)", pbUs <= goUs));
    double mpRss = med("java", c, KongReport::rssKiB);
    double pbRss = med("java-pb", c, KongReport::rssKiB);
    md.append(verdict("RSS under load ≤ 64 MiB (medians, MessagePack / ProtoBuf)",
        f1(mpRss / 1024) + " / " + f1(pbRss / 1024) + " MiB",
        Math.max(mpRss, pbRss) <= 64 * 1024));
    double rss = 0;
    double peak = 0;
    for (JsonNode r : rows) {
      if (r.get("kong").asText().equals(KONG) && r.get("server").asText().startsWith("java")) {
        rss = Math.max(rss, rssKiB(r));
        peak = Math.max(peak, peakKiB(r));
      }
    }
    md.append(verdict("Stricter: RSS ≤ 64 MiB at the end of every Kong " + kongName(KONG)
        + " window of this run (both protocols, 1 and 2 workers, every connection level; the highest)",
        f1(rss / 1024) + " MiB", rss <= 64 * 1024));
    md.append("\nNot a target, but what a container's memory limit must allow: the highest RSS a Java ")
        .append("kit server reached in its life (VmHWM: start-up, the JIT compiling the first requests, ")
        .append("warm-up and load) across this run's Kong ").append(kongName(KONG))
        .append(" servers was ").append(f1(peak / 1024)).append(" MiB.\n");
    md.append("\nThe load average was ")
        .append(machine.path("load average (1/5/15 min) before the run").asText())
        .append(" before and ").append(machine.path("load average (1/5/15 min) after the run").asText())
        .append(" after the run, on a 2-vCPU machine where `wrk`, nginx, the echo upstream and the ")
        .append("plugin server share both CPUs: requests/s measures the whole chain, CPU per request ")
        .append("is what each part costs.\n\n");

    md.append(minima());
    md.append("### Ratios in every setting\n\n");
    md.append("Medians; Java ÷ reference. MessagePack is compared with the JavaScript kit, ProtoBuf ")
        .append("with go-pdk.\n\n");
    md.append("| Kong | workers | conn. | MsgPack rps ÷ JS | MsgPack CPU/req ÷ JS | ProtoBuf rps ÷ go "
        + "| ProtoBuf CPU/req ÷ go | Java RSS MiB (MsgPack / ProtoBuf) |\n|---|---|---|---|---|---|---|---|\n");
    for (String kong : kongs()) {
      for (int w : ints("workers")) {
        for (int conn : ints("connections")) {
          if (rows(kong, w, "java", conn).isEmpty()) {
            continue;
          }
          md.append("| ").append(kongName(kong)).append(" | ").append(w).append(" | ").append(conn)
              .append(" | ").append(ratio(kong, w, conn, "java", "js", KongReport::rps))
              .append(" | ").append(ratio(kong, w, conn, "java", "js", KongReport::serverUs))
              .append(" | ").append(ratio(kong, w, conn, "java-pb", "go", KongReport::rps))
              .append(" | ").append(ratio(kong, w, conn, "java-pb", "go", KongReport::serverUs))
              .append(" | ").append(f1(median(each(rows(kong, w, "java", conn), KongReport::rssKiB)) / 1024))
              .append(" / ").append(f1(median(each(rows(kong, w, "java-pb", conn), KongReport::rssKiB)) / 1024))
              .append(" |\n");
        }
      }
    }

    for (String kong : kongs()) {
      for (int w : ints("workers")) {
        if (rows.stream().noneMatch(r -> r.get("kong").asText().equals(kong) && r.get("workers").asInt() == w)) {
          continue;
        }
        md.append("\n### Kong ").append(kongName(kong)).append(", ").append(w)
            .append(w == 1 ? " nginx worker\n\n" : " nginx workers\n\n");
        int rounds = rounds(kong, w);
        md.append(rounds == 1 ? "One round. " : "Median (min–max) of " + rounds + " rounds. ")
            .append("CPU per request in µs; ")
            .append("nginx is all its workers (Kong's side); RSS is the plugin server's VmRSS at the end ")
            .append("of the window, peak its VmHWM then (the highest since it started).\n\n");
        md.append("| server | conn. | requests/s | p50 / p99 ms | plugin-server CPU µs/req "
            + "| nginx CPU µs/req | RSS / peak MiB |\n|---|---|---|---|---|---|---|\n");
        for (int conn : ints("connections")) {
          for (String s : SERVERS) {
            List<JsonNode> v = rows(kong, w, s, conn);
            if (v.isEmpty()) {
              continue;
            }
            md.append("| ").append(NAMES.get(s)).append(" | ").append(conn)
                .append(" | ").append(cell(each(v, KongReport::rps), KongReport::f0))
                .append(" | ").append(f2(median(each(v, r -> r.get("p50ms").asDouble()))))
                .append(" / ").append(f2(median(each(v, r -> r.get("p99ms").asDouble()))))
                .append(" | ").append(s.equals("floor") ? "—" : cell(each(v, KongReport::serverUs), KongReport::f1))
                .append(" | ").append(cell(each(v, KongReport::nginxUs), KongReport::f1))
                .append(" | ").append(s.equals("floor") ? "—"
                    : f1(median(each(v, KongReport::rssKiB)) / 1024) + " / "
                        + f1(median(each(v, KongReport::peakKiB)) / 1024))
                .append(" |\n");
          }
        }
      }
    }
    md.append("""

        How it is measured (`benchmarks/kong-run.sh`): for each Kong version, number of nginx workers
        and server, a fresh harness (`run-harness.sh start`, Kong spawns the server itself), a
        warm-up at 10 connections and a short run at each connection level, then one window per
        connection level through the harness's `load.sh` (`wrk -t1 -cN`; CPU of the nginx workers
        and of the plugin-server process tree from `/proc/<pid>/stat` over the window; RSS and its
        peak from `/proc/<pid>/status` at the end); the order of the servers rotates from round to
        round. wrk connects anew for each run and nginx workers take connections as they come, so
        with 2 workers one of them may first serve in a later run; the JIT's work for its first
        requests (uncommon traps, recompiling, arenas of compiler memory that are given back within
        seconds) then belongs to the warm-up's short runs, and shows in the peak. The Java servers are `benchmarks/bench-plugin` and `benchmarks/bench-plugin-pb` (the
        code of `examples/hello`) behind the kit's launcher with its default flags; the JavaScript
        kit runs `benchmarks/js/plugins/hello.js` in the `kong-js-pluginserver` that the harness
        installs; go-pdk's is its own `examples/go-hello.go`. Raw data:
        `benchmarks/results/kong/kong.jsonl`.

        """);
    md.append(CHANGES);
    md.append("Machine and run:\n\n");
    for (Iterator<Map.Entry<String, JsonNode>> it = machine.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      md.append("- ").append(e.getKey()).append(": ").append(e.getValue().asText()).append('\n');
    }
    md.append('\n');
    return md.toString();
  }

  /**
   * What the two threading designs cost with no work at all, beside the kit and the JavaScript
   * kit, at the setting the targets are judged at; empty when the run measured no minima.
   */
  private String minima() {
    int c = CONNECTIONS;
    double threads = med("min-c-threads", c, KongReport::serverUs);
    double loop = med("min-java-loop", c, KongReport::serverUs);
    if (Double.isNaN(threads) || Double.isNaN(loop)) {
      return "";
    }
    double kit = med("java", c, KongReport::serverUs);
    double js = med("js", c, KongReport::serverUs);
    double half = 0.5 * js;
    StringBuilder md = new StringBuilder("### What the threading design costs by itself\n\n");
    md.append("Two servers that do no plugin work answer the same calls with canned bytes ")
        .append("(`benchmarks/floor/`): one in C with a thread per connection and blocking reads, ")
        .append("the kit's design; one in Java that serves every connection from one thread and ")
        .append("one selector, the JavaScript kit's design, behind the kit's launcher. Same ")
        .append("setting and rounds as the targets (medians):\n\n");
    md.append("| server | plugin-server CPU µs/req | ÷ JavaScript kit | nginx CPU µs/req "
        + "| both, µs/req | requests/s |\n|---|---|---|---|---|---|\n");
    for (String s : List.of("java", "min-c-threads", "min-java-loop", "js")) {
      double us = med(s, c, KongReport::serverUs);
      double ngx = med(s, c, KongReport::nginxUs);
      md.append("| ").append(NAMES.get(s)).append(" | ").append(f1(us))
          .append(" | ").append(f2(us / js)).append(" | ").append(f1(ngx))
          .append(" | ").append(f1(median(each(rows(KONG, WORKERS, s, c),
              r -> serverUs(r) + nginxUs(r)))))
          .append(" | ").append(f0(med(s, c, KongReport::rps))).append(" |\n");
    }
    md.append("\nHalf the JavaScript kit's CPU per request is ").append(f1(half)).append(" µs. ")
        .append("A thread per connection that does nothing costs ").append(f1(threads))
        .append(" µs, ").append(threads > half ? "above" : "not above")
        .append(" it: each of Kong's three messages per request wakes a sleeping thread. ")
        .append("One event loop that does nothing costs ").append(f1(loop)).append(" µs, ")
        .append(loop > half ? "above" : "not above").append(" it: a wake-up serves every ")
        .append("connection that is ready. ");
    if (threads > half && loop <= half) {
      md.append("So the target asks for a single event loop, and leaves it ").append(f1(half - loop))
          .append(" µs per request for decoding, dispatching and the plugin. ");
    } else if (threads > half) {
      md.append("So neither design meets the target here even with no work at all. ");
    } else {
      md.append("So a thread per connection can meet the target here, with ")
          .append(f1(half - threads)).append(" µs per request to spare for the work. ");
    }
    md.append("The kit keeps a thread per connection: its plugin code is ordinary ")
        .append("blocking Java (an HTTP call to an auth service, a JDBC query), and on an event ")
        .append("loop's thread one slow or CPU-bound handler would stall every request the server ")
        .append("serves; running handlers as continuations on the loop needs a virtual-thread ")
        .append("scheduler of one's own, which the JDK does not offer as a public interface, and ")
        .append("handing each message from the loop to a handler's thread brings the wake-ups back ")
        .append("(the kit's first design did that; see `docs/architecture.md`, \"Threads\"). ")
        .append("Within its design the kit costs ").append(f2(kit / threads))
        .append("× the C minimum.\n\n");
    return md.toString();
  }

  private String ratio(String kong, int w, int conn, String java, String ref,
      ToDoubleFunction<JsonNode> f) {
    return f2(median(each(rows(kong, w, java, conn), f)) / median(each(rows(kong, w, ref, conn), f)));
  }

  private int rounds(String kong, int w) {
    return (int) rows.stream().filter(r -> r.get("kong").asText().equals(kong)
        && r.get("workers").asInt() == w).mapToInt(r -> r.get("round").asInt()).distinct().count();
  }

  private static String kongName(String version) {
    return switch (version) {
      case "3.9" -> "3.9.3";
      case "2.8" -> "2.8.5";
      default -> version;
    };
  }
}
