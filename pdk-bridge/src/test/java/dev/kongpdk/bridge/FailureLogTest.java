package dev.kongpdk.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.plugin.AccessPhase;
import dev.kongpdk.plugin.Phase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A crash, a timeout and a fail-closed answer each leave a log line an operator can alert on. */
@Timeout(20)
class FailureLogTest {

  @TempDir Path dir;
  private final LogCapture log = new LogCapture();

  @BeforeEach
  void captureLogs() {
    log.start(Level.ALL);
  }

  @AfterEach
  void restoreLogs() {
    log.stop();
  }

  private boolean logged(String level, String text) {
    return log.lines().stream().anyMatch(line -> line.startsWith(level) && line.contains(text));
  }

  @Test
  void aCrashAndItsFailClosedAnswerAreLogged() throws Exception {
    try (PluginServer server = PluginServer.builder().socket(dir.resolve("crash.socket")).plugin(
            TestDescriptor.of("crasher", Phase.ACCESS, c -> (AccessPhase) kong -> {
              throw new IllegalStateException("boom");
            })).start();
        KongWire kong = new KongWire(server.socket())) {
      long id = ((Number) kong.startInstance("crasher", "{}").map().get("Id")).longValue();
      KongWire.Response log = kong.handleEvent(id, "access");
      assertEquals("kong.response.exit", kong.step(log.eventId(), null).method());
    }
    assertTrue(logged("SEVERE", "plugin 'crasher' failed in the access phase"), log.lines()::toString);
    assertTrue(logged("SEVERE", "plugin 'crasher': answered 500 to the client (fail closed)"), log.lines()::toString);
  }

  @Test
  void aTimeoutAndItsFailClosedAnswerAreLogged() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    try (PluginServer server = PluginServer.builder().socket(dir.resolve("slow.socket"))
            .eventTimeout(Duration.ofMillis(200)).plugin(
            TestDescriptor.of("sleeper", Phase.ACCESS, c -> (AccessPhase) kong -> never.await())).start();
        KongWire kong = new KongWire(server.socket())) {
      long id = ((Number) kong.startInstance("sleeper", "{}").map().get("Id")).longValue();
      assertEquals("kong.response.exit", kong.handleEvent(id, "access").method());
    }
    assertTrue(logged("SEVERE", "plugin 'sleeper' did not finish or call Kong within 200 ms in the"
        + " access phase (event "), log.lines()::toString);
    assertTrue(logged("SEVERE", "; answered 500 to the client (fail closed)"), log.lines()::toString);
  }

  @Test
  void aFloodOfMalformedConnectionsCostsOneLogLine() throws Exception {
    try (PluginServer server = PluginServer.builder().socket(dir.resolve("junk.socket"))
        .plugin(new GreeterPlugin.Descriptor()).start()) {
      for (int i = 0; i < 5; i++) {
        try (KongWire junk = new KongWire(server.socket())) {
          junk.sendRaw(new byte[] {(byte) 0xc1}); // a byte MessagePack never uses
          assertTrue(junk.closedByServer());
        }
      }
      assertEquals(5L, server.counters().get("MalformedMessages"));
    }
    assertEquals(1, log.lines().stream()
        .filter(line -> line.contains("closing a connection after a malformed message")).count(),
        log.lines()::toString);
  }
}
