package dev.kongpdk.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.bridge.internal.limits.PeerLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client on the socket can make the server hold, over real sockets, with the limits the
 * launcher's 128 MiB heap gives (whatever this JVM's heap is): each case is refused, and the server
 * goes on answering other connections.
 */
@Timeout(30)
class PeerLimitsTest {

  /** The launcher's heap and Kong's open-file limit. */
  static final PeerLimits LAUNCHER = PeerLimits.derive(128L << 20, 16_384);

  @TempDir Path dir;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
  }

  private PluginServer serve(PeerLimits limits) throws Exception {
    PluginServer server = PluginServer.builder().limits(limits)
        .plugin(new GreeterPlugin.Descriptor()).socket(dir.resolve("test.socket")).start();
    closeables.add(server);
    return server;
  }

  private KongWire connect(PluginServer server) throws Exception {
    KongWire wire = new KongWire(server.socket());
    closeables.add(wire);
    return wire;
  }

  /** The start of a StartInstance whose Config is a str32 of {@code length} bytes. */
  private static byte[] startInstanceHeader(int length) throws Exception {
    return KongWire.pack(out -> out.packArrayHeader(4).packInt(0).packInt(1)
        .packString("plugin.StartInstance").packArrayHeader(1).packMapHeader(2)
        .packString("Name").packString("greeter").packString("Config").packRawStringHeader(length));
  }

  @Test
  void theLaunchersHeapGivesTheDocumentedDefaults() {
    assertEquals(16 << 20, LAUNCHER.maxMessageBytes());
    assertEquals(32L << 20, LAUNCHER.maxDecodedBytes());
    assertEquals(64L << 20, LAUNCHER.maxBufferedBytes());
    assertEquals(2 << 20, LAUNCHER.maxConfigBytes());
    assertEquals(16L << 20, LAUNCHER.maxTotalConfigBytes());
    assertEquals(2048, LAUNCHER.maxConnections());
    assertEquals(Duration.ofSeconds(10), LAUNCHER.readTimeout());
    assertEquals(960, PeerLimits.derive(128L << 20, 4096).maxConnections(), "bounded by fds");
  }

  @Test
  void headersOfHugeStringsAreRefusedAtOnceOnTwoConnections() throws Exception {
    PluginServer server = serve(LAUNCHER);
    KongWire first = connect(server);
    KongWire second = connect(server);
    first.sendRaw(startInstanceHeader((64 << 20) - 16));
    second.sendRaw(startInstanceHeader((64 << 20) - 16));
    // refused on the header alone: no byte of either string was sent
    assertTrue(first.closedByServer());
    assertTrue(second.closedByServer());
    assertEquals(2L, server.counters().get("MessagesOverLimit"));
    KongWire.assertServes(server);
  }

  @Test
  void theMessageLimitCoversTheWholeMessageNotEachValue() throws Exception {
    PluginServer server = serve(LAUNCHER.withMaxMessageBytes(1 << 20));
    KongWire kong = connect(server);
    String large = "x".repeat(600 * 1024); // each under the limit, both together over it
    sendToBeRefused(kong, KongWire.pack(out -> out.packArrayHeader(4).packInt(0).packInt(1)
        .packString("plugin.GetStatus").packArrayHeader(1).packArrayHeader(2)
        .packString(large).packString(large)));
    assertTrue(kong.closedByServer());
    assertEquals(1L, server.counters().get("MessagesOverLimit"));
    KongWire.assertServes(server);
  }

  @Test
  void twoSixtyMegabyteStringsInOneMessageAreRefused() throws Exception {
    PluginServer server = serve(LAUNCHER);
    KongWire kong = connect(server);
    // [0, 1, "plugin.GetStatus", [[str 60 MB, str 60 MB]]]: refused on the first header, before
    // its bytes are read or allocated
    kong.sendRaw(KongWire.pack(out -> out.packArrayHeader(4).packInt(0).packInt(1)
        .packString("plugin.GetStatus").packArrayHeader(1).packArrayHeader(2)
        .packRawStringHeader(60_000_000)));
    sendToBeRefused(kong, new byte[64 * 1024]); // some of the string's bytes, had it waited
    assertTrue(kong.closedByServer());
    assertEquals(1L, server.counters().get("MessagesOverLimit"));
    KongWire.assertServes(server);
  }

  @Test
  void smallNestedMapsAreCountedAtTheirDecodedSize() throws Exception {
    PluginServer server = serve(LAUNCHER);
    // 1.5 MB on the wire: 375,000 maps {"a": {}}, each about 60 times its 4 bytes once decoded
    byte[] message = KongWire.pack(out -> {
      out.packArrayHeader(4).packInt(0).packInt(1).packString("plugin.GetStatus")
          .packArrayHeader(1).packArrayHeader(375_000);
      for (int i = 0; i < 375_000; i++) {
        out.packMapHeader(1).packString("a").packMapHeader(0);
      }
    });
    assertTrue(message.length > 1_500_000 && message.length < LAUNCHER.maxMessageBytes());
    KongWire kong = connect(server);
    try {
      kong.sendRaw(message);
    } catch (java.io.IOException closed) {
      // the server may close before it has read everything
    }
    assertTrue(kong.closedByServer());
    assertEquals(1L, server.counters().get("MessagesOverLimit"));
    KongWire.assertServes(server);
  }

  @Test
  void sevenTenMegabyteConfigsAreRejectedAndTheServerServes() throws Exception {
    PluginServer server = serve(LAUNCHER);
    String config = "{\"message\":\"" + "x".repeat(10_000_000) + "\"}";
    ExecutorService clients = Executors.newFixedThreadPool(7);
    try {
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        answers.add(clients.submit(() -> {
          try (KongWire kong = new KongWire(server.socket())) {
            return kong.startInstance("greeter", config).error();
          } catch (java.io.IOException | RuntimeException closed) {
            return "closed"; // over the shared budget: the connection was closed
          }
        }));
      }
      for (Future<String> answer : answers) {
        String error = answer.get();
        assertNotNull(error);
        assertTrue(error.equals("closed") || error.contains("larger than the limit of"), error);
      }
    } finally {
      clients.shutdownNow();
    }
    assertEquals(0, server.instanceCount());
    Map<String, Long> counters = server.counters();
    assertEquals(7L, counters.get("ConfigsOverLimit") + counters.get("MessagesOverLimit"));
    KongWire.assertServes(server);
  }

  @Test
  void aConfigIsCountedAtItsParsedSize() throws Exception {
    // 1.5 MB of empty arrays: under the config limit as text, about 50 MiB as a tree (three of
    // them at once ran the launcher's 128 MiB heap out)
    PluginServer server = serve(LAUNCHER);
    String config = "{\"message\":\"hi\",\"extra\":[" + "[],".repeat(500_000) + "[]]}";
    String error = connect(server).startInstance("greeter", config).error();
    assertNotNull(error);
    assertTrue(error.contains("parses to about") && error.contains("--max-decoded-bytes"), error);
    assertEquals(1L, server.counters().get("ConfigsOverLimit"));
    assertEquals(0, server.instanceCount());
    KongWire.assertServes(server);
  }

  @Test
  void theConfigsOfAllInstancesTogetherAreBounded() throws Exception {
    PluginServer server = serve(LAUNCHER.withMaxConfigBytes(4096).withMaxTotalConfigBytes(10_000));
    KongWire kong = connect(server);
    String config = "{\"message\":\"" + "x".repeat(3000) + "\"}";
    assertNotNull(kong.startInstance("greeter", config).map().get("Id"));
    assertNotNull(kong.startInstance("greeter", config).map().get("Id"));
    assertNotNull(kong.startInstance("greeter", config).map().get("Id"));
    String error = kong.startInstance("greeter", config).error();
    assertTrue(error.contains("--max-total-config-bytes"), error);
    assertEquals(3, server.instanceCount());
  }

  @Test
  void everyInstanceCountsAtLeastAKibibyteSoTheirNumberIsBounded() throws Exception {
    // configs of "{}" are 2 bytes: without a floor, a client could start instances until the
    // heap ran out
    PluginServer server =
        serve(LAUNCHER.withMaxConfigBytes(4096).withMaxTotalConfigBytes(10 * 1024));
    KongWire kong = connect(server);
    for (int i = 0; i < 10; i++) {
      assertNotNull(kong.startInstance("greeter", "{}").map().get("Id"));
    }
    LogCapture log = new LogCapture();
    log.start(java.util.logging.Level.ALL);
    try {
      String error = kong.startInstance("greeter", "{}").error();
      assertNotNull(error);
      assertTrue(error.contains("10 live instances") && error.contains("--max-total-config-bytes"),
          error);
      for (int i = 0; i < 4; i++) {
        assertNotNull(kong.startInstance("greeter", "{}").error());
      }
    } finally {
      log.stop();
    }
    assertEquals(10, server.instanceCount());
    assertEquals(5L, server.counters().get("ConfigsOverLimit"));
    assertEquals(1, log.lines().stream().filter(line -> line.contains("rejected config")).count(),
        log.lines()::toString); // one line for a flood of them
  }

  @Test
  void aStartedMessageMustArriveInTimeButIdleConnectionsStay() throws Exception {
    PluginServer server = serve(LAUNCHER.withReadTimeout(Duration.ofMillis(300)));
    KongWire idle = connect(server);
    KongWire partial = connect(server);
    partial.sendRaw(new byte[] {(byte) 0x94}); // the first byte of a request, and no more
    assertTrue(partial.closedByServer());
    assertEquals(1L, server.counters().get("ReadTimeouts"));
    // the idle connection waited longer than the read timeout, and is still served
    assertEquals("greeter", idle.startInstance("greeter", "{}").map().get("Name"));
  }

  @Test
  void connectionsThatSendOneByteAndHoldTakeNoThread() throws Exception {
    PluginServer server = serve(LAUNCHER);
    KongWire kong = connect(server);
    long id = ((Number) kong.startInstance("greeter", "{}").map().get("Id")).longValue();
    long before = connectionThreads();
    List<KongWire> holding = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      KongWire wire = connect(server);
      wire.sendRaw(new byte[] {(byte) 0x94}); // the first byte of a request, and no more
      holding.add(wire);
    }
    // a new connection of Kong's goes through at once and is served, as is the pooled one
    try (KongWire fresh = new KongWire(server.socket())) {
      fresh.assertServesAccess(id);
    }
    kong.assertServesAccess(id);
    assertTrue(connectionThreads() <= before + 1,
        "threads serving connections: " + connectionThreads() + ", before: " + before);
    assertTrue(server.connectionCount() <= 2, "waiting connections are not served ones yet");
  }

  /** The server's threads that read connections (MessagePack: kong-pdk-rpc-N). */
  private static long connectionThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("kong-pdk-rpc-")).count();
  }

  @Test
  void connectionsBeyondTheCapAreShedWithThePluginsFailurePolicy() throws Exception {
    PluginServer server = serve(LAUNCHER.withMaxConnections(2));
    KongWire first = connect(server);
    KongWire second = connect(server);
    long id = ((Number) first.startInstance("greeter", "{}").map().get("Id")).longValue();
    assertNotNull(second.call("plugin.GetStatus", null).map().get("Pid"));
    try (KongWire shed = new KongWire(server.socket())) {
      // a new event on a connection beyond the cap: no handler runs, the client gets a 500
      KongWire.Response answer = shed.handleEvent(id, "access");
      assertEquals("kong.response.exit", answer.method());
      assertEquals(500L, answer.args().get(0));
      assertTrue(shed.closedByServer());
    }
    try (KongWire shed = new KongWire(server.socket())) {
      // a request that starts no event is answered, then the connection is closed
      assertEquals("greeter", shed.startInstance("greeter", "{}").map().get("Name"));
      assertTrue(shed.closedByServer());
    }
    assertEquals(2L, server.counters().get("ConnectionsShed"));
    assertEquals(1L, server.counters().get("EventsShed"), "the event on a shed connection");
    assertEquals(0L, server.counters().get("EventsStarted"));
    // the connections within the cap are served all along
    first.assertServesAccess(id);
    second.close();
    awaitConnections(server, 1);
    KongWire.assertServes(server);
  }

  @Test
  void aStepOfALiveEventOnAConnectionBeyondTheCapReachesItsEvent() throws Exception {
    PluginServer server = serve(LAUNCHER.withMaxConnections(1));
    KongWire first = connect(server);
    long id = ((Number) first.startInstance("greeter", "{}").map().get("Id")).longValue();
    long eventId = first.handleEvent(id, "access").eventId();
    try (KongWire beyond = new KongWire(server.socket())) {
      // Kong's pool was busy, so the Step went out on a new connection
      assertEquals("kong.response.set_header", beyond.step(eventId, "h").method());
      assertEquals("ret", beyond.step(eventId, null).data());
    }
    assertEquals(1L, server.counters().get("EventsCompleted"));
  }

  /** Waits until the server serves {@code count} connections (it notices a close on its own). */
  static void awaitConnections(PluginServer server, int count) throws InterruptedException {
    Object monitor = new Object();
    synchronized (monitor) {
      while (server.connectionCount() != count) {
        monitor.wait(5); // polling a count the server updates on its own threads
      }
    }
  }

  /**
   * Writes {@code bytes} the server is to refuse: it may close the connection before it has read
   * them all, which fails the write (the assertions that follow check the refusal itself).
   */
  private static void sendToBeRefused(KongWire kong, byte[] bytes) {
    try {
      kong.sendRaw(bytes);
    } catch (IOException e) {
      // closed by the server while writing
    }
  }
}
