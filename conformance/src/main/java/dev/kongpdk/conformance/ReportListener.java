package dev.kongpdk.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The driver's side of the report channel: collects the probe's JSON lines. */
final class ReportListener implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path path;
  private final ServerSocketChannel server;
  private final BlockingQueue<JsonNode> reports = new LinkedBlockingQueue<>();
  private final Thread acceptor;

  ReportListener(Path path) throws IOException {
    this.path = path;
    Files.deleteIfExists(path);
    this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    this.acceptor = Thread.ofPlatform().daemon().name("report-listener").start(this::accept);
  }

  private void accept() {
    while (server.isOpen()) {
      try (SocketChannel channel = server.accept();
          BufferedReader in = new BufferedReader(
              new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          reports.add(JSON.readTree(line));
        }
      } catch (IOException e) {
        if (!server.isOpen()) {
          return;
        }
      }
    }
  }

  /** Waits for the report of row {@code id}, dropping others; null when none came in time. */
  JsonNode await(String id, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      JsonNode report = reports.poll(left, TimeUnit.NANOSECONDS);
      if (report == null) {
        return null;
      }
      if (id.equals(report.path("id").asText())) {
        return report;
      }
    }
  }

  /** Waits for the next report, whatever it is; null when none came in time. */
  JsonNode next(Duration timeout) throws InterruptedException {
    return reports.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() throws IOException {
    server.close();
    acceptor.interrupt();
    Files.deleteIfExists(path);
  }
}
