package dev.kongpdk.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.PdkException;
import dev.kongpdk.plugin.AccessPhase;
import dev.kongpdk.plugin.Phase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The plugin server over a real Unix socket, driven the way Kong's mp_rpc.lua drives it. */
@Timeout(20)
class PluginServerProtocolTest {

  @TempDir Path dir;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
  }

  private PluginServer serve(PluginServer.Builder builder) throws Exception {
    PluginServer server = builder.socket(dir.resolve("test.socket")).start();
    closeables.add(server);
    return server;
  }

  private PluginServer serve(dev.kongpdk.plugin.PluginDescriptor... plugins) throws Exception {
    return serve(PluginServer.builder().plugins(List.of(plugins)));
  }

  private KongWire connect(PluginServer server) throws Exception {
    KongWire wire = new KongWire(server.socket());
    closeables.add(wire);
    return wire;
  }

  private static long startInstance(KongWire kong, String name, String config) throws Exception {
    return ((Number) kong.startInstance(name, config).map().get("Id")).longValue();
  }

  @Test
  void exampleExchangeOfTheProtocolReference() throws Exception {
    PluginServer server = serve(new GreeterPlugin.Descriptor());
    KongWire kong = connect(server);

    KongWire.Response started = kong.startInstance("greeter",
        "{\"message\":\"hi\",\"__plugin_id\":\"00000000-0000-4000-8000-030000000001\",\"__seq__\":12,"
            + "\"__key__\":\"plugins:greeter:::::ws\",\"route_id\":\"r1\"}");
    long instanceId = ((Number) started.map().get("Id")).longValue();

    KongWire.Response call = kong.handleEvent(instanceId, "access");
    assertEquals("kong.request.get_header", call.method());
    assertEquals(List.of("host"), call.args());
    long eventId = call.eventId();

    call = kong.step(eventId, "example.com");
    assertEquals("kong.response.set_header", call.method());
    assertEquals(List.of("x-greeting", "hi example.com"), call.args());

    KongWire.Response done = kong.step(eventId, null); // set_header returned nothing: no Data
    assertEquals("ret", done.data());
    assertEquals(eventId, done.eventId());
    assertEquals(0, server.eventsInFlight());
  }

  @Test
  void configDefaultsComeFromTheSchema() throws Exception {
    PluginServer server = serve(new GreeterPlugin.Descriptor());
    KongWire kong = connect(server);
    long id = startInstance(kong, "greeter", "{\"__seq__\":1}");
    long eventId = kong.handleEvent(id, "access").eventId();
    assertEquals(List.of("x-greeting", "hello h"), kong.step(eventId, "h").args());
    assertEquals("ret", kong.step(eventId, null).data());
  }

  @Test
  void stepsOfOneEventMayArriveOnDifferentConnections() throws Exception {
    PluginServer server = serve(new GreeterPlugin.Descriptor());
    KongWire first = connect(server);
    KongWire second = connect(server);
    KongWire third = connect(server);
    long id = startInstance(first, "greeter", "{}");
    long eventId = second.handleEvent(id, "access").eventId();
    assertEquals("kong.response.set_header", third.step(eventId, "a.example").method());
    assertEquals("ret", first.step(eventId, null).data());
  }

  @Test
  void oneConnectionCarriesTheRequestsOfInterleavedEvents() throws Exception {
    PluginServer server = serve(new GreeterPlugin.Descriptor());
    KongWire a = connect(server);
    KongWire b = connect(server);
    long id = startInstance(a, "greeter", "{}");
    // first waits for its Step reading a; second's HandleEvent arrives there instead
    long first = a.handleEvent(id, "access").eventId();
    long second = a.handleEvent(id, "access").eventId();
    // second now reads a: first's Step arrives there and goes on to first, with the connection
    assertEquals(List.of("x-greeting", "hello one.example"), a.step(first, "one.example").args());
    // second no longer reads any connection: its Step arrives on b
    assertEquals(List.of("x-greeting", "hello two.example"), b.step(second, "two.example").args());
    assertEquals("ret", a.step(first, null).data());
    assertEquals("ret", b.step(second, null).data());
    assertEquals(0, server.eventsInFlight());
    // both connections are still served
    assertEquals("kong.request.get_header", b.handleEvent(id, "access").method());
    assertEquals("kong.request.get_header", a.handleEvent(id, "access").method());
  }

  /** Echoes the request's x-id into the response, over several PDK calls. */
  static final class EchoIdPlugin implements AccessPhase {
    @Override
    public void access(dev.kongpdk.Kong kong) {
      String id = kong.request().getHeader("x-id").orElseThrow();
      kong.log().notice("echo ", id);
      kong.response().setHeader("x-id", id);
    }
  }

  @Test
  void twoHundredConcurrentEventsOverSixteenConnectionsDoNotCrossTalk() throws Exception {
    PluginServer server = serve(TestDescriptor.of("echo-id", Phase.ACCESS, c -> new EchoIdPlugin()));
    BlockingQueue<KongWire> pool = new ArrayBlockingQueue<>(16);
    for (int i = 0; i < 16; i++) {
      pool.add(connect(server));
    }
    KongWire setup = pool.take();
    long instanceId = startInstance(setup, "echo-id", "{}");
    pool.put(setup);

    CountDownLatch allStarted = new CountDownLatch(200);
    try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String requestId = "req-" + i;
        results.add(requests.submit(() -> {
          KongWire.Response r = withConnection(pool, k -> k.handleEvent(instanceId, "access"));
          long eventId = r.eventId();
          allStarted.countDown();
          allStarted.await(); // all 200 events are in flight at once before any step
          assertEquals(List.of("x-id"), r.args());
          r = withConnection(pool, k -> k.step(eventId, requestId));
          assertEquals(List.of("echo ", requestId), r.args());
          r = withConnection(pool, k -> k.step(eventId, null));
          assertEquals(List.of("x-id", requestId), r.args());
          r = withConnection(pool, k -> k.step(eventId, null));
          return (String) r.data();
        }));
      }
      for (Future<String> result : results) {
        assertEquals("ret", result.get(15, TimeUnit.SECONDS));
      }
    }
    assertEquals(0, server.eventsInFlight());
  }

  private interface WireCall {
    KongWire.Response on(KongWire kong) throws Exception;
  }

  private static KongWire.Response withConnection(BlockingQueue<KongWire> pool, WireCall call)
      throws Exception {
    KongWire kong = pool.take();
    try {
      return call.on(kong);
    } finally {
      pool.put(kong);
    }
  }

  @Test
  void exitIsTerminalAndALaterCallFailsClearly() throws Exception {
    CompletableFuture<Throwable> afterExit = new CompletableFuture<>();
    PluginServer server = serve(TestDescriptor.of("deny", Phase.ACCESS, c -> (AccessPhase) kong -> {
      kong.response().exit(403, "{\"message\":\"no\"}", Map.of("x-denied", "1"));
      try {
        kong.request().getHeader("host");
        afterExit.complete(null);
      } catch (PdkException e) {
        afterExit.complete(e);
      }
    }));
    KongWire kong = connect(server);
    long id = startInstance(kong, "deny", "{}");
    KongWire.Response exit = kong.handleEvent(id, "access");
    assertEquals("kong.response.exit", exit.method());
    assertEquals(List.of(403L, "{\"message\":\"no\"}", Map.of("x-denied", "1")), exit.args());
    Throwable failure = afterExit.get(5, TimeUnit.SECONDS);
    assertNotNull(failure, "a PDK call after exit must fail");
    assertInstanceOf(EventEndedException.class, failure.getCause());
    assertEquals(0, server.eventsInFlight());
    // Kong never answers exit: a Step for that event is an error, and the server goes on.
    assertTrue(kong.step(exit.eventId(), null).error().startsWith("no plugin instance"));
    assertEquals("kong.response.exit", kong.handleEvent(id, "access").method());
  }

  @Test
  void anEventKongAbandonsIsReclaimed() throws Exception {
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    PluginServer server = serve(PluginServer.builder().eventTimeout(Duration.ofMillis(300)).plugin(
        TestDescriptor.of("waits", Phase.ACCESS, c -> (AccessPhase) kong -> {
          try {
            kong.request().getHeader("host");
            outcome.complete(null);
          } catch (PdkException e) {
            outcome.complete(e);
            throw e;
          }
        })));
    KongWire kong = connect(server);
    long id = startInstance(kong, "waits", "{}");
    KongWire.Response call = kong.handleEvent(id, "access");
    assertEquals("kong.request.get_header", call.method());
    // Kong raised a Lua error on its side and never sends the Step.
    Throwable failure = outcome.get(5, TimeUnit.SECONDS);
    assertInstanceOf(EventEndedException.class, failure.getCause());
    assertEquals(0, server.eventsInFlight());
    Map<String, Object> status = kong.call("plugin.GetStatus", null).map();
    assertEquals(0L, status.get("EventsInFlight"));
  }

  @Test
  void aHandlerThatNeverReturnsIsTimedOutAndTheRequestFailsClosed() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
    PluginServer server = serve(PluginServer.builder().eventTimeout(Duration.ofMillis(300)).plugin(
        TestDescriptor.of("stuck", Phase.ACCESS, c -> (AccessPhase) kong -> {
          try {
            never.await();
          } catch (InterruptedException e) {
            interrupted.complete(true);
          }
        })));
    KongWire kong = connect(server);
    long id = startInstance(kong, "stuck", "{}");
    KongWire.Response answer = kong.handleEvent(id, "access");
    assertEquals("kong.response.exit", answer.method());
    assertEquals(List.of(500L, Map.of("message", "An unexpected error occurred")), answer.args());
    assertTrue(interrupted.get(5, TimeUnit.SECONDS), "the stuck handler is interrupted");
    assertEquals(0, server.eventsInFlight());
  }

  @Test
  void unknownInstanceIdIsAnsweredSoKongRestartsTheInstance() throws Exception {
    PluginServer server = serve(new GreeterPlugin.Descriptor());
    KongWire kong = connect(server);
    KongWire.Response response = kong.handleEvent(424242, "access");
    assertNull(response.result());
    assertTrue(response.error().startsWith("no plugin instance"), response.error());
    assertTrue(kong.call("plugin.CloseInstance", 424242L).error().startsWith("no plugin instance"));
  }

  @Test
  void malformedMessagePackClosesOnlyThatConnection() throws Exception {
    PluginServer server = serve(new GreeterPlugin.Descriptor());
    KongWire good = connect(server);
    long id = startInstance(good, "greeter", "{}");
    long eventId = good.handleEvent(id, "access").eventId(); // an event in flight meanwhile

    KongWire bad = connect(server);
    bad.sendRaw(new byte[] {(byte) 0xc1, 1, 2, 3}); // 0xc1 is never used in MessagePack
    assertTrue(bad.closedByServer());

    KongWire wrongShape = connect(server);
    wrongShape.sendRaw(new byte[] {(byte) 0x93, 0, 1, 2}); // [0, 1, 2]: not a request
    assertTrue(wrongShape.closedByServer());

    assertEquals("kong.response.set_header", good.step(eventId, "h").method());
    assertEquals("ret", good.step(eventId, null).data());
    assertEquals(2L, server.counters().get("MalformedMessages"));
  }

  @Test
  void aThrowingHandlerIsLoggedToKongAndAnswered500() throws Exception {
    PluginServer server = serve(TestDescriptor.of("thrower", Phase.ACCESS, c -> (AccessPhase) kong -> {
      throw new IllegalStateException("boom");
    }));
    KongWire kong = connect(server);
    long id = startInstance(kong, "thrower", "{}");
    KongWire.Response log = kong.handleEvent(id, "access");
    assertEquals("kong.log.err", log.method());
    String message = (String) log.args().get(0);
    assertTrue(message.startsWith("plugin 'thrower' failed in the access phase: "
        + "java.lang.IllegalStateException: boom"), message);
    KongWire.Response exit = kong.step(log.eventId(), null);
    assertEquals("kong.response.exit", exit.method());
    assertEquals(List.of(500L, Map.of("message", "An unexpected error occurred")), exit.args());
    assertEquals(1L, server.counters().get("EventsFailed"));
    // the server keeps serving
    KongWire.Response again = kong.handleEvent(id, "access");
    assertEquals("kong.log.err", again.method());
    assertEquals("kong.response.exit", kong.step(again.eventId(), null).method());
    assertEquals(0, server.eventsInFlight());
  }

  @Test
  void aFailOpenPluginLetsTheRequestThrough() throws Exception {
    PluginServer server = serve(TestDescriptor.of("lenient", Phase.ACCESS, c -> (AccessPhase) kong -> {
      throw new Error("worse than an exception");
    }).failingOpen());
    KongWire kong = connect(server);
    long id = startInstance(kong, "lenient", "{}");
    KongWire.Response log = kong.handleEvent(id, "access");
    assertEquals("kong.log.err", log.method());
    assertEquals("ret", kong.step(log.eventId(), null).data());
  }

  @Test
  void startInstanceRejectsUnknownPluginsAndBadConfigs() throws Exception {
    PluginServer server = serve(new GreeterPlugin.Descriptor());
    KongWire kong = connect(server);
    String unknown = kong.startInstance("nope", "{}").error();
    assertTrue(unknown.startsWith("no plugin named 'nope'"), unknown);
    String bad = kong.startInstance("greeter", "{\"message\":{\"nested\":1}}").error();
    assertTrue(bad.startsWith("plugin 'greeter': invalid config: config.message"), bad);
    String malformed = kong.startInstance("greeter", "{not json").error();
    assertTrue(malformed.contains("not valid JSON"), malformed);
    assertEquals(0, server.instanceCount());
  }

  @Test
  void stepErrorRaisesPdkExceptionInThePlugin() throws Exception {
    CompletableFuture<PdkException> failure = new CompletableFuture<>();
    PluginServer server = serve(TestDescriptor.of("upstream", Phase.ACCESS, c -> (AccessPhase) kong -> {
      try {
        kong.call("kong.service.set_upstream", "no-such-upstream");
      } catch (PdkException e) {
        failure.complete(e);
      }
    }));
    KongWire kong = connect(server);
    long id = startInstance(kong, "upstream", "{}");
    long eventId = kong.handleEvent(id, "access").eventId();
    KongWire.Response done = kong.step("plugin.StepError", eventId,
        "could not find an Upstream named 'no-such-upstream'");
    assertEquals("ret", done.data());
    PdkException e = failure.get(5, TimeUnit.SECONDS);
    assertEquals("kong.service.set_upstream", e.method());
    assertTrue(e.getMessage().endsWith("could not find an Upstream named 'no-such-upstream'"));
  }

  @Test
  void closeInstanceForgetsIt() throws Exception {
    PluginServer server = serve(new GreeterPlugin.Descriptor());
    KongWire kong = connect(server);
    long id = startInstance(kong, "greeter", "{}");
    assertNull(kong.call("plugin.CloseInstance", id).error());
    assertTrue(kong.handleEvent(id, "access").error().startsWith("no plugin instance"));
    assertEquals(0, server.instanceCount());
  }

  @Test
  void unknownRpcMethodIsAnError() throws Exception {
    PluginServer server = serve(new GreeterPlugin.Descriptor());
    KongWire kong = connect(server);
    assertEquals("unknown method 'plugin.Nope'", kong.call("plugin.Nope", Map.of()).error());
  }

  @Test
  void aSecondServerOnTheSameSocketIsRefused() throws Exception {
    PluginServer server = serve(new GreeterPlugin.Descriptor());
    java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> PluginServer.builder().plugin(new GreeterPlugin.Descriptor()).socket(server.socket()).start());
    assertTrue(e.getMessage().contains("another plugin server is listening"), e.getMessage());
  }
}
