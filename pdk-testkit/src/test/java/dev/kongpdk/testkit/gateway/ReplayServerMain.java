package dev.kongpdk.testkit.gateway;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A plugin server process for simulator tests: {@code -dump} prints the hello plugin's info as the
 * recorded server did; {@code -kong-prefix DIR} replays {@code TRACE} on {@code DIR/hello.socket}
 * until killed.
 */
public final class ReplayServerMain {

  private ReplayServerMain() {}

  /** @param args {@code TRACE -dump} or {@code TRACE -kong-prefix DIR} */
  public static void main(String[] args) throws Exception {
    if (args[1].equals("-dump")) {
      System.out.println("[{\"Name\":\"hello\",\"Version\":\"0.1.0\",\"Phases\":[\"access\"],\"Priority\":1000,"
          + "\"Schema\":{\"name\":\"hello\",\"fields\":[{\"config\":{\"type\":\"record\",\"fields\":[]}}]}}]");
      return;
    }
    Path socket = Path.of(args[2]).resolve("hello.socket");
    TraceReplayServer server = new TraceReplayServer(Path.of(args[0]), socket, 0);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (java.io.IOException ignored) {
        // exiting anyway
      }
    }));
    new CountDownLatch(1).await();
  }
}
