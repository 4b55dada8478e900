package dev.kongpdk.benchmarks.driver;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Many connections against a plugin server, each sending one byte of a request and holding: does
 * the server keep answering the connections Kong already has and new ones, and do its memory,
 * threads and file descriptors come back afterwards?
 *
 * <pre>
 * ManyConnections --socket PATH --out FILE [--connections 5000] [--hold-seconds 15]
 *     [--settle-seconds 90] -- SERVER COMMAND...
 * </pre>
 *
 * <p>Starts the server, warms it up with hello events over 8 connections (Kong's pool), measures
 * RSS, threads and open files (baseline), opens the connections (each writes the first byte of a
 * request and nothing more), holds them, closes them, and samples the server every second until it
 * is back within 10% of the baseline or the settle time is over. Throughout, a probe runs a hello
 * event every 250 ms on a pooled connection and opens a fresh connection for another; the slowest
 * of each is reported. Writes a text report to {@code --out} and standard output.
 */
public final class ManyConnections {

  private final Path socket;
  private final int connections;
  private final Duration hold;
  private final Duration settle;
  private final Path out;
  private final List<String> command;
  private final StringBuilder report = new StringBuilder();

  private ManyConnections(Map<String, String> options, List<String> command) {
    this.socket = Path.of(options.get("socket"));
    this.out = Path.of(options.get("out"));
    this.connections = Integer.parseInt(options.getOrDefault("connections", "5000"));
    this.hold = Duration.ofSeconds(Long.parseLong(options.getOrDefault("hold-seconds", "15")));
    this.settle = Duration.ofSeconds(Long.parseLong(options.getOrDefault("settle-seconds", "90")));
    this.command = command;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new java.util.HashMap<>();
    int i = 0;
    for (; i < args.length && !args[i].equals("--"); i += 2) {
      options.put(args[i].substring(2), args[i + 1]);
    }
    List<String> command = List.of(args).subList(i + 1, args.length);
    System.exit(new ManyConnections(options, command).run() ? 0 : 1);
  }

  /** RSS (KiB), threads and open files of a process. */
  record Sample(long rssKib, long threads, long fds) {
    static Sample of(long pid) throws IOException {
      long fds;
      try (var entries = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
        fds = entries.count();
      }
      return new Sample(ProcStats.statusKib(pid, "VmRSS"), threads(pid), fds);
    }

    private static long threads(long pid) throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("Threads:")) {
          return Long.parseLong(line.substring(8).trim());
        }
      }
      throw new IOException("no Threads in /proc/" + pid + "/status");
    }

    boolean within(Sample base, double ratio) {
      return rssKib <= base.rssKib * ratio && threads <= base.threads * ratio
          && fds <= base.fds * ratio;
    }

    Sample max(Sample o) {
      return new Sample(Math.max(rssKib, o.rssKib), Math.max(threads, o.threads),
          Math.max(fds, o.fds));
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "RSS %.1f MiB, %d threads, %d open files",
          rssKib / 1024.0, threads, fds);
    }
  }

  private boolean run() throws Exception {
    Files.deleteIfExists(socket);
    Path log = out.resolveSibling(out.getFileName() + ".server.log");
    Process server = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try {
      long pid = server.pid();
      awaitSocket(server, socket);
      line("server: " + String.join(" ", command) + " (pid " + pid + ")");
      List<KongConnection> pool = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        pool.add(KongConnection.open(socket));
      }
      long instance = HelloProbe.warmUp(pool, 2000);
      Sample base = Sample.of(pid);
      line("baseline after 2,000 hello events over 8 connections: " + base);
      HelloProbe probe = HelloProbe.start(pool.get(1), socket, instance);

      Instant start = Instant.now();
      List<SocketChannel> held = new ArrayList<>(connections);
      int refused = 0;
      for (int i = 0; i < connections; i++) {
        try {
          SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
          channel.connect(UnixDomainSocketAddress.of(socket));
          channel.write(ByteBuffer.wrap(new byte[] {(byte) 0x94})); // [0, msgid, method, params] begins
          held.add(channel);
        } catch (IOException e) {
          refused++;
        }
      }
      line(String.format(Locale.ROOT, "opened %,d connections, each sending 1 byte (%d refused by"
          + " the kernel) in %d ms", held.size(), refused,
          Duration.between(start, Instant.now()).toMillis()));
      Sample peak = Sample.of(pid);
      long holdUntil = System.nanoTime() + hold.toNanos();
      while (System.nanoTime() < holdUntil) {
        Thread.sleep(500); // sampling interval
        peak = peak.max(Sample.of(pid));
      }
      int closedByServer = 0;
      for (SocketChannel channel : held) {
        channel.configureBlocking(false);
        try {
          if (channel.read(ByteBuffer.allocate(64)) < 0) {
            closedByServer++;
          }
        } catch (IOException reset) {
          closedByServer++;
        }
        channel.close();
      }
      line(String.format(Locale.ROOT, "held %d s: peak %s; %,d of the connections had been closed"
          + " by the server", hold.toSeconds(), peak, closedByServer));

      Sample after = null;
      long settled = -1;
      Instant closed = Instant.now();
      while (Duration.between(closed, Instant.now()).compareTo(settle) < 0) {
        Thread.sleep(1000); // sampling interval
        after = Sample.of(pid);
        if (after.within(base, 1.10)) {
          settled = Duration.between(closed, Instant.now()).toSeconds();
          break;
        }
      }
      probe.stop();
      line("after closing them: " + after + (settled >= 0
          ? " (within 10% of the baseline " + settled + " s after closing)"
          : " (NOT back within 10% of the baseline after " + settle.toSeconds() + " s)"));
      line(String.format(Locale.ROOT, "probes: %d rounds; slowest hello event on a pooled"
          + " connection %.1f ms, on a fresh connection %.1f ms (%d fresh ones shed: answered"
          + " 500 at once)%s", probe.rounds(), probe.slowestPooledMillis(),
          probe.slowestFreshMillis(), probe.freshShed(),
          probe.failure() == null ? "" : "; probe failure: " + probe.failure()));
      line("server alive: " + server.isAlive());
      Map<String, Object> status = castMap(pool.get(0).call("plugin.GetStatus", null));
      line("server counters: " + status.get("Counters"));
      for (KongConnection conn : pool) {
        conn.close();
      }
      boolean ok = server.isAlive() && settled >= 0 && probe.failure() == null
          && probe.answeredWithinASecond();
      line(ok ? "PASS" : "FAIL");
      return ok;
    } finally {
      server.destroy();
      server.waitFor();
      Files.writeString(out, report);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> castMap(Object value) {
    return (Map<String, Object>) value;
  }

  static void awaitSocket(Process server, Path socket) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IOException("the server exited with " + server.exitValue());
      }
      try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50); // polling for the socket to appear
      }
    }
    throw new IOException("the server did not listen on " + socket + " within 30 s");
  }

  private void line(String text) {
    System.out.println(text);
    report.append(text).append('\n');
  }
}
