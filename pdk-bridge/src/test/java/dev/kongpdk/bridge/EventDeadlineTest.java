package dev.kongpdk.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.Kong;
import dev.kongpdk.PdkException;
import dev.kongpdk.plugin.AccessPhase;
import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PhaseTimeout;
import dev.kongpdk.plugin.PluginDescriptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hung handlers: the server answers Kong with the plugin's failure policy before Kong's read
 * timeout (or a plugin's shorter per-phase limit), counts and logs each such event once, notices
 * Kong giving up, and sheds new events beyond the cap on events in flight.
 */
@Timeout(20)
class EventDeadlineTest {

  private static final List<Object> EXIT_500 =
      List.of(500L, Map.of("message", "An unexpected error occurred"));

  @TempDir Path dir;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final CountDownLatch never = new CountDownLatch(1);
  private final LogCapture log = new LogCapture();

  @BeforeEach
  void captureLogs() {
    log.start(Level.INFO);
  }

  @AfterEach
  void closeAll() throws Exception {
    never.countDown();
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
    log.stop();
  }

  /** The one line the server logged about the slowauth plugin, besides that it serves it. */
  private String onlyLineAboutSlowauth() {
    List<String> about = log.lines().stream()
        .filter(l -> l.contains("slowauth") && !l.startsWith("INFO serving")).toList();
    assertEquals(1, about.size(), about::toString);
    return about.get(0);
  }

  private PluginServer serve(PluginServer.Builder builder) throws Exception {
    PluginServer server = builder.socket(dir.resolve("test.socket")).start();
    closeables.add(server);
    return server;
  }

  private KongWire connect(PluginServer server) throws Exception {
    KongWire wire = new KongWire(server.socket());
    closeables.add(wire);
    return wire;
  }

  private static long startInstance(KongWire kong, String name) throws Exception {
    return ((Number) kong.startInstance(name, "{}").map().get("Id")).longValue();
  }

  /** A handler that waits on a dependency that never answers, as a hung HTTP call does. */
  private AccessPhase hung(CompletableFuture<Throwable> thrown) {
    return kong -> {
      try {
        never.await();
      } catch (InterruptedException e) {
        IllegalStateException failure = new IllegalStateException("auth service call interrupted", e);
        thrown.complete(failure);
        throw failure;
      }
    };
  }

  // ---- the default limit sits below Kong's read timeout ------------------------------------

  @Test
  void theDefaultLimitAnswersBeforeKongsDefaultReadTimeout() throws Exception {
    assertEquals(Duration.ofSeconds(55), PluginServer.Builder.eventTimeoutFor(Duration.ofSeconds(60)));
    assertEquals(Duration.ofSeconds(115), PluginServer.Builder.eventTimeoutFor(Duration.ofSeconds(120)));
    assertEquals(Duration.ofMillis(7500), PluginServer.Builder.eventTimeoutFor(Duration.ofSeconds(10)));
    PluginServer server = serve(PluginServer.builder().plugin(new GreeterPlugin.Descriptor()));
    assertEquals(Duration.ofSeconds(55), server.eventTimeout());
  }

  @Test
  void aChangedKongReadTimeoutMovesTheLimit() throws Exception {
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    PluginServer server = serve(PluginServer.builder().kongReadTimeout(Duration.ofMillis(400))
        .plugin(TestDescriptor.of("slow", Phase.ACCESS, c -> hung(thrown))));
    assertEquals(Duration.ofMillis(300), server.eventTimeout());
    KongWire kong = connect(server);
    long started = System.nanoTime();
    KongWire.Response answer = kong.handleEvent(startInstance(kong, "slow"), "access");
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertEquals("kong.response.exit", answer.method());
    assertEquals(EXIT_500, answer.args());
    assertTrue(tookMs < 400, "answered after " + tookMs + " ms, Kong would have given up at 400");
  }

  // ---- per-phase limits --------------------------------------------------------------------

  /** A plugin whose access phase may take 150 ms of its own time. */
  public static final class QuickAuth implements AccessPhase {
    @PhaseTimeout(millis = 150)
    @Override
    public void access(Kong kong) {}
  }

  @PhaseTimeout(millis = 120)
  public static final class QuickEverywhere implements AccessPhase {
    @Override
    public void access(Kong kong) {}
  }

  @PhaseTimeout(millis = 0)
  public static final class ZeroLimit implements AccessPhase {
    @Override
    public void access(Kong kong) {}
  }

  @Test
  void aPhaseTimeoutIsReadFromThePhaseMethodOrTheClass() {
    PluginDescriptor method = TestDescriptor.of("m", Phase.ACCESS, c -> null).withClass(QuickAuth.class);
    PluginDescriptor type = TestDescriptor.of("t", Phase.ACCESS, c -> null).withClass(QuickEverywhere.class);
    assertEquals(Duration.ofMillis(150), method.phaseTimeout(Phase.ACCESS).orElseThrow());
    assertEquals(Duration.ofMillis(120), type.phaseTimeout(Phase.ACCESS).orElseThrow());
    assertTrue(new GreeterPlugin.Descriptor().phaseTimeout(Phase.ACCESS).isEmpty());
  }

  @Test
  void aNonPositivePhaseTimeoutIsRefusedBeforeTheSocketIsBound() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> PluginServer.builder()
        .socket(dir.resolve("zero.socket"))
        .plugin(TestDescriptor.of("zero", Phase.ACCESS, c -> null).withClass(ZeroLimit.class))
        .start());
    assertTrue(e.getMessage().contains("@PhaseTimeout(millis = 0) must be at least 1 ms"), e.getMessage());
    assertFalse(dir.resolve("zero.socket").toFile().exists());
  }

  @Test
  void aPhaseTimeoutFailsClosedLongBeforeTheEventTimeout() throws Exception {
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    PluginServer server = serve(PluginServer.builder().eventTimeout(Duration.ofSeconds(30))
        .plugin(TestDescriptor.of("auth", Phase.ACCESS, c -> hung(thrown)).withClass(QuickAuth.class)));
    KongWire kong = connect(server);
    long started = System.nanoTime();
    KongWire.Response answer = kong.handleEvent(startInstance(kong, "auth"), "access");
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertEquals("kong.response.exit", answer.method());
    assertEquals(EXIT_500, answer.args());
    assertTrue(tookMs >= 150 && tookMs < 5_000, "answered after " + tookMs + " ms");
    assertInstanceOf(IllegalStateException.class, thrown.get(5, TimeUnit.SECONDS));
  }

  @Test
  void aPhaseTimeoutAppliesOverProtobufToo() throws Exception {
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    PluginServer server = serve(PluginServer.builder().eventTimeout(Duration.ofSeconds(30))
        .plugin(new ProtobufDescriptor(TestDescriptor.of("auth", Phase.ACCESS, c -> hung(thrown))
            .withClass(QuickAuth.class))));
    KongPbWire kong = new KongPbWire(server.socket());
    closeables.add(kong);
    kong.handleEvent(kong.startInstance("auth", "{}"), "access");
    kong.expectCall("kong.response.exit");
    assertInstanceOf(IllegalStateException.class, thrown.get(5, TimeUnit.SECONDS));
    assertTrue(server.awaitEventsEnded(Duration.ofSeconds(5)));
    assertEquals(1L, server.counters().get("EventsTimedOut"));
    assertEquals(0L, server.counters().get("EventsFailed"));
  }

  // ---- a timed-out event is counted and logged once ----------------------------------------

  @Test
  void aTimedOutEventIsOneTimeoutAndOneLogLineNotAFailure() throws Exception {
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    PluginServer server = serve(PluginServer.builder().eventTimeout(Duration.ofMillis(150))
        .plugin(TestDescriptor.of("slowauth", Phase.ACCESS, c -> hung(thrown))));
    KongWire kong = connect(server);
    assertEquals("kong.response.exit", kong.handleEvent(startInstance(kong, "slowauth"), "access").method());
    thrown.get(5, TimeUnit.SECONDS); // the handler, interrupted, threw
    assertTrue(server.awaitEventsEnded(Duration.ofSeconds(5)));
    awaitHandlersReturned(server);
    Map<String, Long> counters = server.counters();
    assertEquals(1L, counters.get("EventsTimedOut"));
    assertEquals(0L, counters.get("EventsFailed"));
    String about = onlyLineAboutSlowauth();
    assertTrue(about.startsWith("SEVERE plugin 'slowauth' did not finish or call Kong within"
        + " 150 ms in the access phase"), about);
    assertTrue(about.endsWith("; answered 500 to the client (fail closed)"), about);
  }

  // ---- Kong giving up while the handler runs -----------------------------------------------

  @Test
  void kongClosingTheConnectionWhileTheHandlerRunsEndsTheEventAtOnce() throws Exception {
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    PluginServer server = serve(PluginServer.builder().eventTimeout(Duration.ofSeconds(30))
        .plugin(TestDescriptor.of("slowauth", Phase.ACCESS, c -> hung(thrown))));
    KongWire kong = connect(server);
    long id = startInstance(kong, "slowauth");
    KongWire gaveUp = connect(server);
    gaveUp.send(1, "plugin.HandleEvent", Map.of("InstanceId", id, "EventName", "access"));
    awaitInFlight(server, 1);
    gaveUp.close(); // Kong's read timed out: it closes the socket instead of pooling it

    // Noticed within a second or so, not at the 30 s event timeout.
    assertInstanceOf(IllegalStateException.class, thrown.get(10, TimeUnit.SECONDS));
    assertTrue(server.awaitEventsEnded(Duration.ofSeconds(5)));
    awaitHandlersReturned(server);
    awaitCounter(server, "EventsLost", 1L); // counted by the janitor just after it logs
    Map<String, Long> counters = server.counters();
    assertEquals(1L, counters.get("EventsLost"));
    assertEquals(0L, counters.get("EventsFailed"));
    assertEquals(0L, counters.get("EventsTimedOut"));
    String about = onlyLineAboutSlowauth();
    assertTrue(about.startsWith("WARNING plugin 'slowauth': Kong closed the connection while"
        + " the access phase ran"), about);
    // the other connection is served as before
    assertNull(kong.call("plugin.GetStatus", null).error());
  }

  @Test
  void kongClosingAProtobufConnectionWhileTheHandlerRunsEndsTheEventAtOnce() throws Exception {
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    PluginServer server = serve(PluginServer.builder().eventTimeout(Duration.ofSeconds(30))
        .plugin(new ProtobufDescriptor(TestDescriptor.of("slowauth", Phase.ACCESS, c -> hung(thrown)))));
    KongPbWire kong = new KongPbWire(server.socket());
    closeables.add(kong);
    int id = kong.startInstance("slowauth", "{}");
    KongPbWire gaveUp = new KongPbWire(server.socket());
    gaveUp.handleEvent(id, "access");
    awaitInFlight(server, 1);
    gaveUp.close(); // Kong's read timed out: it closes the socket instead of pooling it

    // Noticed by the janitor within a second or so, although the handler's thread reads the
    // connection and is busy in the handler, not at the 30 s event timeout.
    assertInstanceOf(IllegalStateException.class, thrown.get(10, TimeUnit.SECONDS));
    assertTrue(server.awaitEventsEnded(Duration.ofSeconds(5)));
    awaitHandlersReturned(server);
    awaitCounter(server, "EventsLost", 1L);
    Map<String, Long> counters = server.counters();
    assertEquals(0L, counters.get("EventsFailed"));
    assertEquals(0L, counters.get("EventsTimedOut"));
    String about = onlyLineAboutSlowauth();
    assertTrue(about.startsWith("WARNING plugin 'slowauth': Kong closed the connection while"
        + " the access phase ran"), about);
    // the other connection is served as before
    assertEquals(id, kong.closeInstance(id).getInstanceStatus().getInstanceId());
  }

  // ---- the cap on events in flight ---------------------------------------------------------

  @Test
  void beyondTheCapNewEventsAreShedWithTheFailurePolicyAndTheRestIsServed() throws Exception {
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    PluginServer server = serve(PluginServer.builder().maxEventsInFlight(2)
        .eventTimeout(Duration.ofSeconds(30))
        .plugins(List.of(TestDescriptor.of("slowauth", Phase.ACCESS, c -> hung(thrown)),
            TestDescriptor.of("tolerant", Phase.ACCESS, c -> (AccessPhase) kong -> {}).failingOpen())));
    assertEquals(2, server.maxEventsInFlight());
    KongWire kong = connect(server);
    long slow = startInstance(kong, "slowauth");
    long tolerant = startInstance(kong, "tolerant");
    KongWire first = connect(server);
    KongWire second = connect(server);
    first.send(1, "plugin.HandleEvent", Map.of("InstanceId", slow, "EventName", "access"));
    second.send(1, "plugin.HandleEvent", Map.of("InstanceId", slow, "EventName", "access"));
    awaitInFlight(server, 2);

    KongWire.Response shed = kong.handleEvent(slow, "access");
    assertEquals("kong.response.exit", shed.method(), "fail closed: the client gets a 500");
    assertEquals(EXIT_500, shed.args());
    KongWire.Response open = kong.handleEvent(tolerant, "access");
    assertTrue(open.error().contains("the plugin server is overloaded (2 events in flight)"),
        "fail open: Kong logs the error and the request goes on: " + open.error());
    assertEquals(2L, server.counters().get("EventsShed"));
    assertEquals(1, log.lines().stream().filter(l -> l.contains("shedding load")).count(),
        "one rate-limited line, not one per event: " + log.lines());
    assertNull(kong.call("plugin.GetStatus", null).error(), "other requests are still answered");

    never.countDown(); // the hung dependency recovers: the slots come back
    assertEquals("ret", first.read(1).data());
    assertEquals("ret", second.read(1).data());
    awaitHandlersReturned(server);
    assertEquals("ret", kong.handleEvent(tolerant, "access").data());
  }

  @Test
  void beyondTheCapProtobufEventsAreShedWithTheFailurePolicy() throws Exception {
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    PluginServer server = serve(PluginServer.builder().maxEventsInFlight(1)
        .eventTimeout(Duration.ofSeconds(30))
        .plugin(new ProtobufDescriptor(TestDescriptor.of("slowauth", Phase.ACCESS, c -> hung(thrown)))));
    KongPbWire first = new KongPbWire(server.socket());
    closeables.add(first);
    int id = first.startInstance("slowauth", "{}");
    first.handleEvent(id, "access");
    awaitInFlight(server, 1);
    KongPbWire second = new KongPbWire(server.socket());
    closeables.add(second);
    second.handleEvent(id, "access");
    KongPbWire.PdkCall exit = second.expectCall("kong.response.exit");
    assertTrue(exit.args().length > 0);
    assertEquals(1L, server.counters().get("EventsShed"));
    never.countDown();
    first.expectEnd();
  }

  private static void awaitInFlight(PluginServer server, int events) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.eventsInFlight() < events) {
      assertTrue(System.nanoTime() < deadline, "events did not start");
      Thread.onSpinWait();
    }
  }

  private static void awaitCounter(PluginServer server, String name, long value) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.counters().get(name) < value) {
      assertTrue(System.nanoTime() < deadline, name + " stays at " + server.counters().get(name));
      Thread.onSpinWait();
    }
  }

  /** The slot of an event is given back when its handler has returned, just after it ended. */
  private static void awaitHandlersReturned(PluginServer server) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.handlersRunning() > 0) {
      assertTrue(System.nanoTime() < deadline, "handlers still running");
      Thread.onSpinWait();
    }
  }
}
