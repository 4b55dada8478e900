package com.example.logshipper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.kongpdk.Kong;
import dev.kongpdk.bridge.PluginServer;
import dev.kongpdk.plugin.PluginDescriptor;
import dev.kongpdk.testkit.PluginTester;
import dev.kongpdk.testkit.TestRequest;
import dev.kongpdk.testkit.TestResult;
import dev.kongpdk.testkit.gateway.KongClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LogShipperTest {

  @Test
  void writesEveryEntryToTheFileByCloseInOrder(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("requests.jsonl");
    LogShipper plugin = new LogShipper(new LogShipper.Config(
        LogShipper.SinkType.FILE, file.toString(), Optional.empty(), 10, 60_000, 1000, 5000));
    for (int i = 0; i < 25; i++) {
      String entry = "{\"n\":" + i + "}";
      plugin.log(Kong.over((method, args) -> method.equals("kong.log.serialize") ? entry : null));
    }
    plugin.close();

    assertEquals(IntStream.range(0, 25).mapToObj(i -> "{\"n\":" + i + "}").toList(), Files.readAllLines(file));
  }

  @Test
  void postsKongsSerializedEntryToTheHttpSink() throws IOException, InterruptedException {
    BlockingQueue<String> posted = new LinkedBlockingQueue<>();
    HttpServer collector = collector(posted);
    try {
      String url = "http://127.0.0.1:" + collector.getAddress().getPort() + "/logs";
      TestResult result = PluginTester.forPlugin(LogShipper.class)
          .config("{\"sink\":\"http\",\"url\":\"" + url + "\",\"flush_interval_ms\":20}")
          .request(TestRequest.get("http://api.example.com/orders?page=2"))
          .run();

      assertEquals(1, result.callsTo("kong.log.serialize").size());
      String batch = posted.poll(10, TimeUnit.SECONDS);
      assertNotNull(batch, "nothing was posted");
      assertTrue(batch.startsWith("[{") && batch.endsWith("}]"), batch);
      assertTrue(batch.contains("\"uri\":\"/orders?page=2\""), batch);
    } finally {
      collector.stop(0);
    }
  }

  @Test
  void thePluginServerClosesAnInstanceKongClosesAndItsQueueIsSent(@TempDir Path dir)
      throws IOException, InterruptedException {
    BlockingQueue<String> posted = new LinkedBlockingQueue<>();
    HttpServer collector = collector(posted);
    String url = "http://127.0.0.1:" + collector.getAddress().getPort() + "/logs";
    try (PluginServer server = PluginServer.builder().plugin(PluginDescriptor.of(LogShipper.class))
            .socket(dir.resolve("log-shipper.socket")).start();
        KongClient kong = KongClient.connect(server.socket(), KongClient.Options.defaults())) {
      // Batches of 100 or once a minute: only the close sends this one entry now.
      long id = kong.startInstance("log-shipper", "{\"sink\":\"http\",\"url\":\"" + url
          + "\",\"flush_interval_ms\":60000}");
      kong.handleEvent(id, "log", (method, args) -> method.equals("kong.log.serialize") ? "{\"n\":1}" : null);
      kong.closeInstance(id); // Kong does this after every configuration change
      assertEquals("[{\"n\":1}]", posted.poll(10, TimeUnit.SECONDS));
    } finally {
      collector.stop(0);
    }
  }

  private static HttpServer collector(BlockingQueue<String> posted) throws IOException {
    HttpServer collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    collector.createContext("/logs", exchange -> {
      try (InputStream body = exchange.getRequestBody()) {
        posted.add(new String(body.readAllBytes(), StandardCharsets.UTF_8));
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    collector.start();
    return collector;
  }

  @Test
  void refusesAnHttpSinkWithoutUrl() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PluginTester.forPlugin(LogShipper.class).config("{\"sink\":\"http\"}").run());
    assertTrue(e.getMessage().contains("url is required"), e.getMessage());
  }

  static List<String> lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }
}
