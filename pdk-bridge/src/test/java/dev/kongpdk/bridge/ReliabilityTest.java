package dev.kongpdk.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Faults Kong and hostile peers can produce: each leaves the server serving. */
@Timeout(20)
class ReliabilityTest {

  @TempDir Path dir;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
  }

  private PluginServer serve(PluginServer.Builder builder) throws Exception {
    PluginServer server = builder.plugin(new GreeterPlugin.Descriptor())
        .socket(dir.resolve("test.socket")).start();
    closeables.add(server);
    return server;
  }

  private KongWire connect(PluginServer server) throws Exception {
    KongWire wire = new KongWire(server.socket());
    closeables.add(wire);
    return wire;
  }

  @Test
  void anOversizedMessageClosesItsConnectionOnly() throws Exception {
    PluginServer server = serve(PluginServer.builder().maxMessageBytes(4096));
    KongWire kong = connect(server);
    kong.sendRaw(KongWire.pack(out -> out.packArrayHeader(4).packInt(0).packInt(1)
        .packString("plugin.StartInstance").packArrayHeader(1).packMapHeader(2)
        .packString("Name").packString("greeter").packString("Config").packString("x".repeat(10_000))));
    assertTrue(kong.closedByServer());
    KongWire.assertServes(server);
  }

  @Test
  void aHugeContainerHeaderIsRefusedWithoutAllocating() throws Exception {
    PluginServer server = serve(PluginServer.builder());
    KongWire kong = connect(server);
    kong.sendRaw(new byte[] {(byte) 0xdd, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}); // array32 of 2^31-1
    assertTrue(kong.closedByServer());
    KongWire.assertServes(server);
    assertEquals(1L, server.counters().get("MalformedMessages"));
  }

  @Test
  void deeplyNestedMessageClosesItsConnection() throws Exception {
    PluginServer server = serve(PluginServer.builder().maxNestingDepth(16));
    KongWire kong = connect(server);
    kong.sendRaw(KongWire.pack(out -> {
      out.packArrayHeader(4).packInt(0).packInt(1).packString("plugin.Step").packArrayHeader(1);
      for (int i = 0; i < 100; i++) {
        out.packArrayHeader(1);
      }
      out.packNil();
    }));
    assertTrue(kong.closedByServer());
    KongWire.assertServes(server);
  }

  @Test
  void aTruncatedMessageThenCloseLeavesTheServerServing() throws Exception {
    PluginServer server = serve(PluginServer.builder());
    byte[] whole = KongWire.pack(out -> out.packArrayHeader(4).packInt(0).packInt(1)
        .packString("plugin.GetStatus").packArrayHeader(1).packNil());
    try (KongWire kong = new KongWire(server.socket())) {
      kong.sendRaw(java.util.Arrays.copyOf(whole, whole.length - 3));
    }
    KongWire.assertServes(server);
  }

  @Test
  void wrongTypesInEveryFieldAreAnsweredWithClearErrors() throws Exception {
    PluginServer server = serve(PluginServer.builder());
    KongWire kong = connect(server);
    assertEquals("plugin.StartInstance: expected a map parameter, got String",
        kong.call("plugin.StartInstance", "greeter").error());
    assertEquals("expected a string Name, got Long",
        kong.call("plugin.StartInstance", Map.of("Name", 5L)).error());
    assertEquals("plugin.StartInstance: Config must be JSON text, got LinkedHashMap",
        kong.call("plugin.StartInstance", Map.of("Name", "greeter", "Config", Map.of("a", 1L))).error());
    assertEquals("plugin.HandleEvent: InstanceId: expected an integer id, got String",
        kong.call("plugin.HandleEvent", Map.of("InstanceId", "1", "EventName", "access")).error());
    assertEquals("plugin.Step: EventId: expected an integer id, got nothing",
        kong.call("plugin.Step", Map.of("Data", "x")).error());
    assertEquals("plugin.CloseInstance: expected an integer id, got Boolean",
        kong.call("plugin.CloseInstance", true).error());
    long id = ((Number) kong.startInstance("greeter", "{}").map().get("Id")).longValue();
    assertEquals("plugin 'greeter': unknown phase 'header_filter'",
        kong.handleEvent(id, "header_filter").error());
    assertEquals("plugin 'greeter' does not implement the log phase", kong.handleEvent(id, "log").error());
    KongWire.assertServes(server);
  }

  @Test
  void kongClosingAConnectionMidEventLetsTheEventGoOnElsewhere() throws Exception {
    PluginServer server = serve(PluginServer.builder());
    KongWire first = new KongWire(server.socket());
    long id = ((Number) first.startInstance("greeter", "{}").map().get("Id")).longValue();
    long eventId = first.handleEvent(id, "access").eventId();
    first.close();
    KongWire second = connect(server);
    assertEquals("kong.response.set_header", second.step(eventId, "h").method());
    assertEquals("ret", second.step(eventId, null).data());
  }

  @Test
  void aRestartedServerDoesNotHonourOrReuseInstanceIdsKongStillHolds() throws Exception {
    Path socket = dir.resolve("restart.socket");
    long oldId;
    try (PluginServer first = PluginServer.builder().plugin(new GreeterPlugin.Descriptor())
        .socket(socket).start(); KongWire kong = new KongWire(socket)) {
      oldId = ((Number) kong.startInstance("greeter", "{\"__seq__\":1}").map().get("Id")).longValue();
    }
    try (PluginServer second = PluginServer.builder().plugin(new GreeterPlugin.Descriptor())
        .socket(socket).start(); KongWire kong = new KongWire(socket)) {
      String error = kong.handleEvent(oldId, "access").error();
      assertTrue(error.startsWith("no plugin instance"), error);
      long newId = ((Number) kong.startInstance("greeter", "{\"__seq__\":1}").map().get("Id")).longValue();
      assertNotEquals(oldId, newId);
      kong.assertServesAccess(newId);
    }
  }

  @Test
  void idleInstancesAreReclaimedAndKongIsToldToRestartThem() throws Exception {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    Clock clock = new Clock() {
      @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public Instant instant() { return now.get(); }
    };
    PluginServer server = serve(PluginServer.builder().clock(clock).instanceIdleTimeout(Duration.ofMinutes(10)));
    KongWire kong = connect(server);
    long used = ((Number) kong.startInstance("greeter", "{}").map().get("Id")).longValue();
    long idle = ((Number) kong.startInstance("greeter", "{}").map().get("Id")).longValue();
    now.set(now.get().plus(Duration.ofMinutes(6)));
    long eventId = kong.handleEvent(used, "access").eventId(); // marks it used
    kong.step(eventId, "h");
    assertEquals("ret", kong.step(eventId, null).data());
    now.set(now.get().plus(Duration.ofMinutes(6)));
    server.expireIdleInstances();
    assertEquals(1, server.instanceCount());
    assertTrue(kong.handleEvent(idle, "access").error().startsWith("no plugin instance"));
    assertEquals(1L, server.counters().get("InstancesExpired"));
  }

  @Test
  void hugeBodiesAndHeaderMapsAreCarriedWithinTheLimits() throws Exception {
    PluginServer server = PluginServer.builder().socket(dir.resolve("big.socket")).plugin(
        TestDescriptor.of("sizes", dev.kongpdk.plugin.Phase.ACCESS, c -> (dev.kongpdk.plugin.AccessPhase) k -> {
          byte[] body = k.request().getRawBody().orElseThrow();
          Map<?, ?> headers = k.request().getHeaders();
          k.response().setHeader("x-sizes", body.length + "/" + headers.size());
        })).start();
    closeables.add(server);
    KongWire kong = connect(server);
    long id = ((Number) kong.startInstance("sizes", "{}").map().get("Id")).longValue();
    long eventId = kong.handleEvent(id, "access").eventId();
    byte[] body = new byte[8 << 20];
    body[body.length - 1] = (byte) 0xff;
    assertEquals("kong.request.get_headers", kong.step(eventId, body).method());
    Map<String, Object> headers = new java.util.HashMap<>();
    for (int i = 0; i < 20_000; i++) {
      headers.put("x-header-" + i, List.of("value-" + i));
    }
    assertEquals(List.of("x-sizes", (8 << 20) + "/20000"),
        kong.step("plugin.StepMultiMap", eventId, headers).args());
    assertEquals("ret", kong.step(eventId, null).data());
  }

  @Test
  void aCheckedExceptionIsHandledLikeAnyFailure() throws Exception {
    PluginServer server = PluginServer.builder().socket(dir.resolve("checked.socket")).plugin(
        TestDescriptor.of("checked", dev.kongpdk.plugin.Phase.ACCESS, c -> (dev.kongpdk.plugin.AccessPhase) k -> {
          throw new java.io.IOException("auth service unreachable");
        })).start();
    closeables.add(server);
    KongWire kong = connect(server);
    long id = ((Number) kong.startInstance("checked", "{}").map().get("Id")).longValue();
    KongWire.Response log = kong.handleEvent(id, "access");
    assertTrue(((String) log.args().get(0)).contains("java.io.IOException: auth service unreachable"));
    assertEquals("kong.response.exit", kong.step(log.eventId(), null).method());
  }

  @Test
  void closingAnInstanceTwiceIsAnErrorKongIgnores() throws Exception {
    PluginServer server = serve(PluginServer.builder());
    KongWire kong = connect(server);
    long id = ((Number) kong.startInstance("greeter", "{}").map().get("Id")).longValue();
    assertEquals(null, kong.call("plugin.CloseInstance", id).error());
    assertEquals("no plugin instance " + id, kong.call("plugin.CloseInstance", id).error());
    KongWire.assertServes(server);
  }

  @Test
  void configValuesAreNeverSentBack() throws Exception {
    PluginServer server = serve(PluginServer.builder());
    KongWire kong = connect(server);
    Map<String, Object> started = kong.startInstance("greeter", "{\"message\":\"s3cr3t-value\"}").map();
    assertEquals(java.util.Set.of("Id", "Name", "StartTime"), started.keySet());
    String status = kong.call("plugin.GetStatus", null).map().toString();
    assertTrue(status.contains("greeter") && !status.contains("s3cr3t-value"), status);
    String error = kong.startInstance("greeter", "{\"message\":{\"password\":\"s3cr3t-value\"}}").error();
    assertTrue(!error.contains("s3cr3t-value"), error);
  }

  /** Reads one header per event and counts how often it is closed. */
  static final class ClosingPlugin implements dev.kongpdk.plugin.AccessPhase, AutoCloseable {
    final java.util.concurrent.atomic.AtomicInteger closes;

    ClosingPlugin(java.util.concurrent.atomic.AtomicInteger closes) {
      this.closes = closes;
    }

    @Override
    public void access(dev.kongpdk.Kong kong) {
      kong.request().getHeader("host");
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  private PluginServer serveClosing(java.util.concurrent.atomic.AtomicInteger closes, String name)
      throws Exception {
    PluginServer server = PluginServer.builder().socket(dir.resolve(name + ".socket")).plugin(
        TestDescriptor.of(name, dev.kongpdk.plugin.Phase.ACCESS, c -> new ClosingPlugin(closes))).start();
    closeables.add(server);
    return server;
  }

  @Test
  void closeInstanceClosesTheAutoCloseablePluginOnceAfterItsEventsFinish() throws Exception {
    var closes = new java.util.concurrent.atomic.AtomicInteger();
    PluginServer server = serveClosing(closes, "closing");
    KongWire kong = connect(server);
    long id = ((Number) kong.startInstance("closing", "{}").map().get("Id")).longValue();
    long eventId = kong.handleEvent(id, "access").eventId(); // an event still running on it
    assertEquals(null, kong.call("plugin.CloseInstance", id).error());
    assertEquals(0, closes.get(), "not closed under a running event");
    assertEquals("ret", kong.step(eventId, "h").data());
    assertEquals(1, closes.get());
    kong.call("plugin.CloseInstance", id);
    assertEquals(1, closes.get(), "closed once");
  }

  @Test
  void idleExpiryAndServerShutdownCloseThePlugins() throws Exception {
    var closes = new java.util.concurrent.atomic.AtomicInteger();
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    Clock clock = new Clock() {
      @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public Instant instant() { return now.get(); }
    };
    PluginServer server = PluginServer.builder().socket(dir.resolve("idle.socket")).clock(clock)
        .plugin(TestDescriptor.of("idle", dev.kongpdk.plugin.Phase.ACCESS, c -> new ClosingPlugin(closes)))
        .start();
    try (KongWire kong = new KongWire(server.socket())) {
      kong.startInstance("idle", "{}");
      now.set(now.get().plus(Duration.ofHours(1)));
      kong.startInstance("idle", "{}");
      server.expireIdleInstances();
      assertEquals(1, closes.get(), "the idle instance is closed");
    }
    server.close();
    assertEquals(2, closes.get(), "the remaining instance is closed at shutdown");
  }

  @Test
  void theSocketIsOwnerOnlyByDefault() throws Exception {
    PluginServer server = serve(PluginServer.builder());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(server.socket())));
  }

  @Test
  void aSocketGroupOpensTheSocketToThatGroup() throws Exception {
    String group = Files.readAttributes(dir, java.nio.file.attribute.PosixFileAttributes.class).group().getName();
    PluginServer server = serve(PluginServer.builder().socketGroup(group));
    assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(server.socket())));
    KongWire.assertServes(server);
  }

  @Test
  void peersRunningAsAnotherUserAreRefused() throws Exception {
    PluginServer server = serve(PluginServer.builder().peerUser("no-such-kong-user"));
    KongWire kong = connect(server);
    assertTrue(kong.closedByServer());
    assertEquals(1L, server.counters().get("RejectedPeers"));
  }

  @Test
  void peersRunningAsTheRequiredUserAreServed() throws Exception {
    String me = Files.getOwner(dir).getName();
    PluginServer server = serve(PluginServer.builder().peerUser(me));
    KongWire.assertServes(server);
  }

  @Test
  void countersArePublishedOverJmxWhenAskedFor() throws Exception {
    PluginServer server = serve(PluginServer.builder().jmx(true));
    KongWire.assertServes(server);
    var name = new javax.management.ObjectName("dev.kongpdk:type=PluginServer,socket="
        + javax.management.ObjectName.quote(server.socket().toString()));
    var mbeans = java.lang.management.ManagementFactory.getPlatformMBeanServer();
    assertEquals("greeter", mbeans.getAttribute(name, "Plugins"));
    assertEquals(1, mbeans.getAttribute(name, "Instances"));
  }
}
