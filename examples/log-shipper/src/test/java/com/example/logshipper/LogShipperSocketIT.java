package com.example.logshipper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.testkit.PluginTester;
import dev.kongpdk.testkit.TestRequest;
import dev.kongpdk.testkit.TestResult;
import dev.kongpdk.testkit.gateway.KongClient;
import dev.kongpdk.testkit.gateway.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The plugin in its plugin server process, stopped with SIGTERM as Kong 3.x stops it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LogShipperSocketIT {

  @Test
  void noQueuedEntryIsLostWhenInstancesCloseAndTheServerStops(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("requests.jsonl");
    // Batches of 100 or once a minute: only close() writes these entries, when each run's
    // instance is closed (as Kong closes instances) or at the latest when the server stops.
    String config = "{\"sink\":\"file\",\"path\":\"" + file + "\",\"batch_size\":100,\"flush_interval_ms\":60000}";
    try (ServerProcess server = ServerProcess.startJava(System.getProperty("java.class.path"), "log-shipper",
        dir, Duration.ofSeconds(30))) {
      for (String path : List.of("/a", "/b", "/c")) {
        runOverSocket(PluginTester.forPlugin(LogShipper.class).config(config)
            .request(TestRequest.get("http://api.example.com" + path)), server);
      }
    } // SIGTERM: the server drains its events, closes its instances (the plugin flushes) and exits

    List<String> lines = LogShipperTest.lines(file);
    assertEquals(3, lines.size(), lines.toString());
    for (String path : List.of("/a", "/b", "/c")) {
      assertTrue(lines.stream().anyMatch(line -> line.contains("\"uri\":\"" + path + "\"")), lines.toString());
    }
  }

  /**
   * Runs the tester against the server with Kong's patience: Kong waits up to 60 s for a plugin
   * server's answer, the testkit's default is 5 s; 30 s keeps a busy machine from failing the test.
   */
  private static TestResult runOverSocket(PluginTester tester, ServerProcess server) {
    try (KongClient kong = KongClient.connect(server.socket(), KongClient.Options.defaults().withTimeout(Duration.ofSeconds(30)))) {
      return tester.runOver(kong);
    }
  }
}
