package dev.kongpdk.benchmarks.driver;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays Kong's side against one plugin server: starts the server, times its first answered event,
 * then for each concurrency level runs a warm-up and a measured window of hello events, and appends
 * one JSON line of results per level.
 *
 * <p>As Kong does on one nginx worker: a pool of connections (last used, first reused), each
 * connection carrying one call at a time; every request is a new {@code plugin.HandleEvent}; Kong's
 * PDK answers are canned. Kong's {@code mp_rpc.lua} takes a connection from the pool for every call
 * and gives it back after the answer, and nothing else runs in the nginx worker between giving it
 * back and taking one for the next Step unless the PDK function yields (none of hello's do): so
 * the next Step takes the same connection, and an event stays on the connection its {@code
 * HandleEvent} took. That is the default ({@code --pool kong}); the recorded Kong traces show
 * the same. {@code --pool shared} instead lets the simulated requests race for the pool on every
 * call, as if every PDK call yielded: the Steps of one event then hop between connections, the
 * worst case for a server.
 *
 * <p>With {@code --protocol protobuf} it plays Kong 3.x's {@code pb_rpc.lua} instead: each
 * simulated request takes a connection from the same kind of pool and holds it for its whole
 * event ({@code cmd_handle_event}, then one result frame per PDK call until the {@code RpcReturn}).
 *
 * <pre>
 * LoadDriver --label NAME --socket PATH --out FILE [--protocol msgpack|protobuf] [--pool kong|shared]
 *            [--round N] [--levels 1,4,16]
 *            [--warmup-seconds S] [--seconds S] [--max-events N] [--clk-tck 100] -- SERVER COMMAND...
 * </pre>
 */
public final class LoadDriver {

  static final String HOST = "bench.example";
  private static final String CONFIG = "{\"message\":\"hello\"}";

  private final Options options;
  private final Path socket;

  private LoadDriver(Options options) {
    this.options = options;
    this.socket = Path.of(options.socket);
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    new LoadDriver(options).run();
  }

  private void run() throws Exception {
    Files.deleteIfExists(socket);
    ProcessBuilder builder = new ProcessBuilder(options.command);
    File log = new File(options.out + "." + options.label + ".server.log");
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log));
    builder.redirectError(ProcessBuilder.Redirect.appendTo(log));
    long spawned = System.nanoTime();
    Process server = builder.start();
    try {
      long pid = server.pid();
      double firstEventMs = firstEvent(spawned, server);
      Thread.sleep(500);
      long idleRss = ProcStats.statusKib(pid, "VmRSS");
      for (int level : options.levels) {
        Map<String, Object> result = level(pid, level);
        result.put("firstEventMs", firstEventMs);
        result.put("rssIdleKiB", idleRss);
        String line = new ObjectMapper().writeValueAsString(result);
        Files.writeString(Path.of(options.out), line + "\n",
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.err.println(line);
      }
    } finally {
      server.destroy();
      if (!server.waitFor(5, TimeUnit.SECONDS)) {
        server.destroyForcibly();
        server.waitFor(5, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(socket);
    }
  }

  /** Waits until the server accepts a connection and answers one whole event; returns the ms since spawn. */
  private double firstEvent(long spawned, Process server) throws Exception {
    long deadline = spawned + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      if (!server.isAlive()) {
        throw new IOException(options.label + ": server exited with " + server.exitValue());
      }
      if (Files.exists(socket)) {
        try {
          Worker pool = new Worker();
          pool.open(1);
          try {
            pool.event(null, null);
          } finally {
            pool.closeAll();
          }
          return (System.nanoTime() - spawned) / 1e6;
        } catch (IOException e) {
          if (e instanceof KongConnection.RpcFailure) {
            throw e;
          }
          // not listening yet
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(options.label + ": no answered event within 30 s");
      }
      Thread.sleep(1);
    }
  }

  private static long startInstance(KongConnection conn) throws IOException {
    Map<String, Object> param = new LinkedHashMap<>();
    param.put("Name", "hello");
    param.put("Config", CONFIG);
    Object result = conn.call("plugin.StartInstance", param);
    if (!(result instanceof Map<?, ?> map) || !(map.get("Id") instanceof Long id)) {
      throw new IOException("unexpected StartInstance result " + result);
    }
    return id;
  }

  /** One concurrency level: warm-up, then a measured window bounded in time and event count. */
  private Map<String, Object> level(long pid, int concurrency) throws Exception {
    Worker worker = new Worker();
    worker.open(concurrency);
    List<Samples> eventSamples = new ArrayList<>();
    List<Samples> rttSamples = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      Samples events = new Samples();
      Samples rtts = new Samples();
      eventSamples.add(events);
      rttSamples.add(rtts);
      threads.add(Thread.ofPlatform().name("request-" + i).start(() -> worker.loop(events, rtts)));
    }
    Thread.sleep((long) (options.warmupSeconds * 1000));
    long cpu0 = ProcStats.cpuTicks(pid);
    long self0 = ProcStats.cpuTicks(ProcessHandle.current().pid());
    long t0 = System.nanoTime();
    worker.measuring = true;
    long deadline = t0 + (long) (options.seconds * 1e9);
    while (System.nanoTime() < deadline && worker.measured.get() < options.maxEvents
        && worker.failure == null) {
      Thread.sleep(5);
    }
    worker.measuring = false;
    long t1 = System.nanoTime();
    long cpu1 = ProcStats.cpuTicks(pid);
    long self1 = ProcStats.cpuTicks(ProcessHandle.current().pid());
    long rssEnd = ProcStats.statusKib(pid, "VmRSS");
    long rssPeak = ProcStats.statusKib(pid, "VmHWM");
    worker.stop = true;
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(70));
    }
    worker.closeAll();
    if (worker.failure != null) {
      throw new IOException(options.label + ": " + worker.failure);
    }
    long[] ev = Samples.sorted(eventSamples);
    long[] rt = Samples.sorted(rttSamples);
    double seconds = (t1 - t0) / 1e9;
    double serverCpu = (cpu1 - cpu0) / (double) options.clkTck;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("server", options.label);
    r.put("protocol", options.protocol);
    r.put("pool", options.pool);
    r.put("round", options.round);
    r.put("connections", concurrency);
    r.put("seconds", seconds);
    r.put("events", ev.length);
    r.put("roundTrips", rt.length);
    r.put("eventsPerSecond", ev.length / seconds);
    r.put("eventP50us", Samples.micros(ev, 0.50));
    r.put("eventP99us", Samples.micros(ev, 0.99));
    r.put("eventP999us", Samples.micros(ev, 0.999));
    r.put("rttP50us", Samples.micros(rt, 0.50));
    r.put("rttP99us", Samples.micros(rt, 0.99));
    r.put("rttP999us", Samples.micros(rt, 0.999));
    r.put("serverCpuSeconds", serverCpu);
    r.put("serverCpuUsPerEvent", serverCpu * 1e6 / ev.length);
    r.put("eventsPerServerCpuSecond", ev.length / serverCpu);
    r.put("driverCpuSeconds", (self1 - self0) / (double) options.clkTck);
    r.put("rssEndKiB", rssEnd);
    r.put("rssPeakKiB", rssPeak);
    return r;
  }

  /** One simulated nginx worker: its instance and its pool of connections. */
  private final class Worker {
    final boolean protobuf = options.protocol.equals("protobuf");
    long instance;
    final LinkedBlockingDeque<KongConnection> connections = new LinkedBlockingDeque<>();
    final LinkedBlockingDeque<PbKongConnection> pbConnections = new LinkedBlockingDeque<>();
    final AtomicLong measured = new AtomicLong();
    volatile boolean measuring;
    volatile boolean stop;
    volatile String failure;

    /** Opens {@code count} connections, starting the instance on the first. */
    void open(int count) throws IOException {
      for (int i = 0; i < count; i++) {
        if (protobuf) {
          PbKongConnection conn = PbKongConnection.open(socket);
          pbConnections.add(conn);
          if (i == 0) {
            instance = conn.startInstance("hello", CONFIG);
          }
        } else {
          KongConnection conn = KongConnection.open(socket);
          connections.add(conn);
          if (i == 0) {
            instance = startInstance(conn);
          }
        }
      }
    }

    void closeAll() throws IOException {
      for (KongConnection c : connections) {
        c.close();
      }
      for (PbKongConnection c : pbConnections) {
        c.close();
      }
    }

    void loop(Samples events, Samples rtts) {
      try {
        while (!stop && measured.get() < options.maxEvents) {
          event(events, rtts);
        }
      } catch (IOException | InterruptedException | RuntimeException e) {
        failure = e.toString();
      }
    }

    /** One request: HandleEvent, then answer each PDK call until the handler returns. */
    void event(Samples events, Samples rtts) throws IOException, InterruptedException {
      if (protobuf) {
        pbEvent(events, rtts);
        return;
      }
      if (options.pool.equals("kong")) {
        KongConnection held = connections.pollFirst(60, TimeUnit.SECONDS);
        if (held == null) {
          throw new IOException("no free connection");
        }
        try {
          msgpackEvent(events, rtts, held);
        } finally {
          connections.offerFirst(held);
        }
      } else {
        msgpackEvent(events, rtts, null);
      }
    }

    /** One request over MessagePack, every call on {@code held}, or on any pooled one when null. */
    private void msgpackEvent(Samples events, Samples rtts, KongConnection held)
        throws IOException, InterruptedException {
      boolean record = measuring;
      long start = System.nanoTime();
      Map<String, Object> handle = new LinkedHashMap<>();
      handle.put("InstanceId", instance);
      handle.put("EventName", "access");
      Object result = call(held, "plugin.HandleEvent", handle, record ? rtts : null);
      while (true) {
        if (!(result instanceof Map<?, ?> reply)) {
          throw new IOException("unexpected event result " + result);
        }
        Object data = reply.get("Data");
        Object eventId = reply.get("EventId");
        if ("ret".equals(data)) {
          break;
        }
        if (!(data instanceof Map<?, ?> pdkCall) || !(pdkCall.get("Method") instanceof String method)) {
          throw new IOException("unexpected step data " + data);
        }
        if (method.equals("kong.response.exit") || method.equals("kong.response.error")) {
          break; // Kong never answers these
        }
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("EventId", eventId);
        String rpc = "plugin.Step";
        switch (method) {
          case "kong.request.get_header" -> step.put("Data", HOST);
          case "kong.request.get_headers" -> {
            rpc = "plugin.StepMultiMap";
            Map<String, Object> headers = new LinkedHashMap<>();
            headers.put("host", List.of(HOST));
            headers.put("user-agent", List.of("bench"));
            headers.put("accept", List.of("*/*"));
            step.put("Data", headers);
          }
          default -> {} // setters: Kong's Step carries no Data key
        }
        result = call(held, rpc, step, record ? rtts : null);
      }
      if (record && measuring) {
        events.add(System.nanoTime() - start);
        measured.incrementAndGet();
      }
    }

    /** One request over ProtoBuf: it holds one pooled connection for the whole event. */
    private void pbEvent(Samples events, Samples rtts) throws IOException, InterruptedException {
      boolean record = measuring;
      long start = System.nanoTime();
      PbKongConnection conn = pbConnections.pollFirst(60, TimeUnit.SECONDS);
      if (conn == null) {
        throw new IOException("no free connection");
      }
      boolean reusable = false;
      try {
        reusable = conn.handleEvent((int) instance, "access", HOST, record ? rtts : null);
      } finally {
        if (reusable) {
          pbConnections.offerFirst(conn);
        } else {
          conn.close();
          pbConnections.offerFirst(PbKongConnection.open(socket));
        }
      }
      if (record && measuring) {
        events.add(System.nanoTime() - start);
        measured.incrementAndGet();
      }
    }

    /** One call on {@code held}, or on a connection taken from the pool and given back after. */
    private Object call(KongConnection held, String method, Object param, Samples rtts)
        throws IOException, InterruptedException {
      KongConnection conn = held != null ? held : connections.pollFirst(60, TimeUnit.SECONDS);
      if (conn == null) {
        throw new IOException("no free connection");
      }
      try {
        long start = System.nanoTime();
        Object result = conn.call(method, param);
        if (rtts != null) {
          rtts.add(System.nanoTime() - start);
        }
        return result;
      } finally {
        if (held == null) {
          connections.offerFirst(conn);
        }
      }
    }
  }

  /** Command-line options. */
  static final class Options {
    String label;
    String socket;
    String out;
    String protocol = "msgpack";
    String pool = "kong";
    int round = 1;
    int[] levels = {1, 4, 16};
    double warmupSeconds = 2;
    double seconds = 4;
    long maxEvents = 2_000_000;
    long clkTck = 100;
    List<String> command = new ArrayList<>();

    static Options parse(String[] args) {
      Options o = new Options();
      int i = 0;
      for (; i < args.length && !args[i].equals("--"); i += 2) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value for " + args[i]);
        }
        String v = args[i + 1];
        switch (args[i]) {
          case "--label" -> o.label = v;
          case "--socket" -> o.socket = v;
          case "--out" -> o.out = v;
          case "--protocol" -> {
            if (!v.equals("msgpack") && !v.equals("protobuf")) {
              throw new IllegalArgumentException("--protocol is msgpack or protobuf, got " + v);
            }
            o.protocol = v;
          }
          case "--pool" -> {
            if (!v.equals("kong") && !v.equals("shared")) {
              throw new IllegalArgumentException("--pool is kong or shared, got " + v);
            }
            o.pool = v;
          }
          case "--round" -> o.round = Integer.parseInt(v);
          case "--levels" -> o.levels = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
          case "--warmup-seconds" -> o.warmupSeconds = Double.parseDouble(v);
          case "--seconds" -> o.seconds = Double.parseDouble(v);
          case "--max-events" -> o.maxEvents = Long.parseLong(v);
          case "--clk-tck" -> o.clkTck = Long.parseLong(v);
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      o.command.addAll(Arrays.asList(args).subList(Math.min(i + 1, args.length), args.length));
      if (o.label == null || o.socket == null || o.out == null || o.command.isEmpty()) {
        throw new IllegalArgumentException("need --label, --socket, --out and -- SERVER COMMAND");
      }
      return o;
    }
  }
}
