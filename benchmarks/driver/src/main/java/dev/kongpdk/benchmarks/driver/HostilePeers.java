package dev.kongpdk.benchmarks.driver;

import dev.kongpdk.benchmarks.driver.ManyConnections.Sample;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * The hostile peers of issue 13, one after the other, against a plugin server started with its
 * launcher's defaults: does each get refused with a counted (and logged) refusal, do Kong's
 * connections keep being answered within a second meanwhile, does the server stay up, and do its
 * RSS, threads and open files come back within 10% of their baseline after each?
 *
 * <pre>
 * HostilePeers --socket PATH --out FILE [--settle-seconds 150] -- SERVER COMMAND...
 * </pre>
 *
 * <p>The peers: two connections that each send only the header of a string just under 64 MiB;
 * one message holding two 60 MB strings; a 1.5 MB message of small nested maps (its objects many
 * times its wire size); seven 10 MB plugin configs at once; 200 events whose connection is closed
 * while the server waits for Kong's answer to a PDK call. (Thousands of connections that send one
 * byte and hold are {@link ManyConnections}.) A probe runs a hello event every 250 ms on a pooled
 * connection and on a fresh one throughout. Writes a text report to {@code --out} and standard
 * output; exits non-zero when a check fails.
 */
public final class HostilePeers {

  private static final int MIB = 1024 * 1024;

  private final Path socket;
  private final Duration settle;
  private final Path out;
  private final List<String> command;
  private final StringBuilder report = new StringBuilder();
  private long pid;
  private Sample baseline;
  private KongConnection admin;
  private boolean ok = true;

  private HostilePeers(Map<String, String> options, List<String> command) {
    this.socket = Path.of(options.get("socket"));
    this.out = Path.of(options.get("out"));
    this.settle = Duration.ofSeconds(Long.parseLong(options.getOrDefault("settle-seconds", "150")));
    this.command = command;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    int i = 0;
    for (; i < args.length && !args[i].equals("--"); i += 2) {
      options.put(args[i].substring(2), args[i + 1]);
    }
    List<String> command = List.of(args).subList(i + 1, args.length);
    System.exit(new HostilePeers(options, command).run() ? 0 : 1);
  }

  /** One hostile peer: does its harm and says what the server did to it. */
  private interface Attack {
    String run() throws Exception;
  }

  private boolean run() throws Exception {
    Files.deleteIfExists(socket);
    Path log = out.resolveSibling(out.getFileName() + ".server.log");
    Process server = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try {
      pid = server.pid();
      ManyConnections.awaitSocket(server, socket);
      line("server: " + String.join(" ", command) + " (pid " + pid + ")");
      List<KongConnection> pool = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        pool.add(KongConnection.open(socket));
      }
      admin = pool.get(0);
      long instance = HelloProbe.warmUp(pool, 2000);
      baseline = Sample.of(pid);
      line("baseline after 2,000 hello events over 8 connections: " + baseline);
      HelloProbe probe = HelloProbe.start(pool.get(1), socket, instance);

      check("two connections, each the header of a string just under 64 MiB",
          "MessagesOverLimit", 2, this::stringHeaders);
      check("one message holding two 60 MB strings", "MessagesOverLimit", 1,
          this::twoLargeStrings);
      check("a 1.5 MB message of small nested maps", "MessagesOverLimit", 1, this::nestedMaps);
      // Refused one by one as configs too large, or closed when together they would pass the
      // budget of all connections' messages.
      check("seven 10 MB plugin configs at once", "ConfigsOverLimit+MessagesOverLimit", 7,
          this::largeConfigs);
      // Kong may send a Step on any pooled connection, so closing the one a PDK call went out
      // on does not end the event: it waits for its limit (55 s), ends as timed out, and its
      // thread goes after a minute idle. Fewer than the cap on events in flight, so that the
      // probes are still served.
      check("200 events whose connection closes while a PDK call waits for Kong",
          "EventsTimedOut", 200, () -> abandonedEvents(instance, 200));

      probe.stop();
      long shed = probe.pooledShed() + probe.freshShed();
      line(String.format(Locale.ROOT, "probes: %d rounds; slowest hello event on a pooled"
          + " connection %.1f ms, on a fresh connection %.1f ms%s%s", probe.rounds(),
          probe.slowestPooledMillis(), probe.slowestFreshMillis(),
          shed == 0 ? "" : String.format(Locale.ROOT, "; %d pooled and %d fresh ones shed",
              probe.pooledShed(), probe.freshShed()),
          probe.failure() == null ? "" : "; probe failure: " + probe.failure()));
      line("server alive: " + server.isAlive());
      line("server counters: " + ManyConnections.castMap(admin.call("plugin.GetStatus", null))
          .get("Counters"));
      for (KongConnection conn : pool) {
        conn.close();
      }
      ok &= server.isAlive() && probe.failure() == null && shed == 0
          && probe.answeredWithinASecond();
      line(ok ? "PASS" : "FAIL");
      return ok;
    } finally {
      server.destroy();
      server.waitFor();
      Files.writeString(out, report);
    }
  }

  /**
   * Runs {@code attack}, then checks that {@code counter} (names joined with {@code +}: their sum)
   * grew by {@code expected} and that the server's RSS, threads and open files come back within
   * 10% of the baseline.
   */
  private void check(String name, String counter, long expected, Attack attack)
      throws Exception {
    long before = counter(counter);
    String outcome = attack.run();
    Sample peak = Sample.of(pid);
    Sample after = null;
    long settled = -1;
    long start = System.nanoTime();
    while (System.nanoTime() - start < settle.toNanos()) {
      after = Sample.of(pid);
      peak = peak.max(after);
      if (after.within(baseline, 1.10)) {
        settled = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        break;
      }
      Thread.sleep(1000); // sampling interval
    }
    long counted = counter(counter) - before;
    boolean passed = counted == expected && settled >= 0;
    ok &= passed;
    line(String.format(Locale.ROOT, "%s: %s; %s +%d (expected +%d); after it %s; then %s%s",
        name, outcome, counter, counted, expected, peak, after,
        settled >= 0 ? ", within 10% of the baseline " + settled + " s later"
            : ", NOT back within 10% of the baseline after " + settle.toSeconds() + " s"));
  }

  private long counter(String names) throws IOException {
    Map<String, Object> counters = ManyConnections.castMap(
        ManyConnections.castMap(admin.call("plugin.GetStatus", null)).get("Counters"));
    long sum = 0;
    for (String name : names.split("\\+")) {
      sum += ((Number) counters.get(name)).longValue();
    }
    return sum;
  }

  private String stringHeaders() throws Exception {
    List<SocketChannel> peers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      SocketChannel peer = connect();
      ByteBuffer header = ByteBuffer.allocate(8);
      header.put(new byte[] {(byte) 0x94, 0, 1, (byte) 0xdb}).putInt(64 * MIB - 1024).flip();
      writeFully(peer, header);
      peers.add(peer);
    }
    int closed = 0;
    for (SocketChannel peer : peers) {
      closed += closedByServer(peer) ? 1 : 0;
      peer.close();
    }
    return closed + " of 2 closed by the server";
  }

  private String twoLargeStrings() throws Exception {
    try (SocketChannel peer = connect()) {
      MessageBufferPacker head = MessagePack.newDefaultBufferPacker();
      head.packArrayHeader(4).packInt(0).packInt(1).packString("plugin.StartInstance");
      head.packArrayHeader(1).packArrayHeader(2).packRawStringHeader(60_000_000);
      long sent = 0;
      try {
        writeFully(peer, ByteBuffer.wrap(head.toByteArray()));
        ByteBuffer chunk = ByteBuffer.allocate(MIB);
        for (int s = 0; s < 2; s++) {
          for (int written = 0; written < 60_000_000; written += MIB) {
            chunk.clear().limit(Math.min(MIB, 60_000_000 - written));
            sent += writeFully(peer, chunk);
          }
          if (s == 0) {
            writeFully(peer, ByteBuffer.wrap(new byte[] {(byte) 0xdb, 0x03, (byte) 0x93,
                (byte) 0x87, 0x00})); // the second string's header: 60,000,000 bytes
          }
        }
      } catch (IOException refused) {
        return String.format(Locale.ROOT, "closed by the server after %,d of its 120,000,000"
            + " string bytes were sent", sent);
      }
      return closedByServer(peer) ? "closed by the server once all of it was sent"
          : "NOT closed by the server";
    }
  }

  private String nestedMaps() throws Exception {
    try (SocketChannel peer = connect()) {
      int maps = 220_000; // {"a": {"b": 1}} is 7 bytes: 1.5 MB
      MessageBufferPacker message = MessagePack.newDefaultBufferPacker();
      message.packArrayHeader(4).packInt(0).packInt(1).packString("plugin.StartInstance");
      message.packArrayHeader(1).packArrayHeader(maps);
      for (int i = 0; i < maps; i++) {
        message.packMapHeader(1).packString("a").packMapHeader(1).packString("b").packInt(1);
      }
      byte[] bytes = message.toByteArray();
      try {
        writeFully(peer, ByteBuffer.wrap(bytes));
      } catch (IOException refused) {
        return String.format(Locale.ROOT, "%,d bytes; closed by the server before all of it"
            + " was sent", bytes.length);
      }
      return String.format(Locale.ROOT, "%,d bytes; %s", bytes.length,
          closedByServer(peer) ? "closed by the server" : "NOT closed by the server");
    }
  }

  private String largeConfigs() throws Exception {
    String config = "{\"padding\":\"" + "x".repeat(10_000_000) + "\"}";
    ExecutorService senders = Executors.newFixedThreadPool(7);
    try {
      List<Callable<String>> calls = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        calls.add(() -> {
          try (KongConnection conn = KongConnection.open(socket)) {
            Map<String, Object> param = new LinkedHashMap<>();
            param.put("Name", "hello");
            param.put("Config", config);
            conn.call("plugin.StartInstance", param);
            return "started";
          } catch (KongConnection.RpcFailure refused) {
            return "refused: " + refused.getMessage();
          } catch (IOException closed) {
            return "closed: " + closed.getMessage();
          }
        });
      }
      int refused = 0;
      int closed = 0;
      String example = "";
      for (Future<String> answer : senders.invokeAll(calls, 60, TimeUnit.SECONDS)) {
        String text = answer.get();
        if (text.startsWith("refused: ")) {
          refused++;
          example = text.substring("refused: ".length());
        } else if (text.startsWith("closed: ")) {
          closed++;
        }
      }
      return refused + " of 7 answered with an error (" + example + "), " + closed
          + " closed by the server";
    } finally {
      senders.shutdownNow();
    }
  }

  private String abandonedEvents(long instance, int events) throws Exception {
    int waiting = 0;
    for (int i = 0; i < events; i++) {
      try (KongConnection conn = KongConnection.open(socket)) {
        Map<String, Object> step = ManyConnections.castMap(conn.call("plugin.HandleEvent",
            Map.of("InstanceId", instance, "EventName", "access")));
        if (step.get("Data") instanceof Map<?, ?> data
            && "kong.request.get_header".equals(data.get("Method"))) {
          waiting++; // the handler waits for Kong's answer to its PDK call; the connection closes
        }
      }
    }
    return String.format(Locale.ROOT, "%d of %d were waiting on a PDK call when their connection"
        + " closed", waiting, events);
  }

  private SocketChannel connect() throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    channel.connect(UnixDomainSocketAddress.of(socket));
    return channel;
  }

  private static int writeFully(SocketChannel channel, ByteBuffer bytes) throws IOException {
    int written = bytes.remaining();
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
    return written;
  }

  /** Whether the server closes {@code peer} within 5 s (end of input or a reset). */
  private static boolean closedByServer(SocketChannel peer) throws IOException {
    peer.configureBlocking(false);
    ByteBuffer sink = ByteBuffer.allocate(4096);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    try (Selector selector = Selector.open()) {
      peer.register(selector, SelectionKey.OP_READ);
      while (System.nanoTime() < deadline) {
        selector.select(100);
        selector.selectedKeys().clear();
        try {
          sink.clear();
          if (peer.read(sink) < 0) {
            return true;
          }
        } catch (IOException reset) {
          return true;
        }
      }
    }
    return false;
  }

  private void line(String text) {
    System.out.println(text);
    report.append(text).append('\n');
  }
}
