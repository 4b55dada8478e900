package dev.kongpdk.testkit.gateway;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerProcessTest {

  @TempDir
  Path dir;

  @Test
  void aServerThatExitsBeforeListeningIsReportedWithItsOutput() {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"), "dev.kongpdk.bridge.PluginServerMain",
        "--no-such-flag");

    KongClientException e = assertThrows(KongClientException.class,
        () -> ServerProcess.start(command, dir.resolve("s.sock"), Duration.ofSeconds(20)));

    assertTrue(e.getMessage().contains("exited with status 2 before listening"), e.getMessage());
    assertTrue(e.getMessage().contains("--no-such-flag"), e.getMessage());
  }

  @Test
  void aSocketPathTooLongForUnixSocketsIsRefusedUpFront() {
    Path tooLong = dir.resolve("x".repeat(120) + ".sock");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerProcess.start(List.of("true"), tooLong, Duration.ofSeconds(1)));

    assertTrue(e.getMessage().contains("longer than the 107 bytes"), e.getMessage());
  }
}
