package dev.kongpdk.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.PdkException;
import dev.kongpdk.bridge.EventEndedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PluginTesterTest {

  private static List<String> phaseLogs(TestResult r) {
    return r.logs().stream().filter(l -> l.level().equals("notice")).map(l -> l.plugin() + ":" + l.message()).toList();
  }

  @Test
  void validateConfigBindsTheRecordWithSchemaDefaults() {
    Record config = PluginTester.forPlugin(Hello.class).config("{}").validateConfig();

    assertEquals(new Hello.Config("hello"), config);
  }

  @Test
  void validateConfigRejectsAValueOfTheWrongTypeAndNamesThePlugin() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PluginTester.forPlugin(Hello.class).config("{\"message\":{\"nested\":1}}").validateConfig());

    assertTrue(e.getMessage().startsWith("config of plugin 'hello': "), e.getMessage());
    assertTrue(e.getMessage().contains("message"), e.getMessage());
  }

  @Test
  void schemaJsonIsTheGeneratedKongSchema() {
    assertTrue(PluginTester.forPlugin(Hello.class).schemaJson().contains("{\"message\":{\"type\":\"string\",\"default\":\"hello\"}}"));
  }

  @Test
  void phasesRunInKongOrderAndResponseRunsWhenProxied() {
    TestResult r = PluginTester.forPlugin(TestPlugins.EveryPhase.DESCRIPTOR).run();

    assertEquals(List.of("every-phase:rewrite", "every-phase:access", "every-phase:response", "every-phase:log"), phaseLogs(r));
    assertTrue(r.proxied());
    assertEquals("service", r.response().source());
  }

  @Test
  void exitInAccessSkipsLaterPluginsAndUpstreamButLogStillRuns() {
    TestResult r = PluginTester.forPlugin(TestPlugins.EveryPhase.DESCRIPTOR)
        .withPlugin(TestPlugins.Deny.DESCRIPTOR, "{}")
        .request(TestRequest.get("http://example.com/x").header("X-Deny", "yes"))
        .run();

    assertEquals(403, r.response().status());
    assertEquals("{\"message\":\"denied\"}", r.response().bodyText());
    assertEquals("1", r.response().header("x-denied").orElseThrow());
    assertEquals("application/json; charset=utf-8", r.response().header("content-type").orElseThrow());
    assertEquals("exit", r.response().source());
    assertFalse(r.proxied(), "the upstream must not be called after an exit");
    // every-phase (priority 500) ran rewrite before deny's access (2000), then only its log phase
    assertEquals(List.of("every-phase:rewrite", "every-phase:log"), phaseLogs(r));
    assertEquals("deny log ran, status 403", r.logs("info").get(0).message());
  }

  @Test
  void withoutExitTheRequestIsProxiedAndCtxSharedIsVisibleLater() {
    TestResult r = PluginTester.forPlugin(TestPlugins.Deny.DESCRIPTOR)
        .withPlugin(LuaStandIn.named("reader").priority(10)
            .access(kong -> kong.response().setHeader("x-ctx", String.valueOf(kong.call("kong.ctx.shared.get", "deny").orElse(null)))))
        .run();

    assertEquals(200, r.response().status());
    assertEquals("passed", r.response().header("x-ctx").orElseThrow());
    assertEquals("passed", r.ctxShared().get("deny"));
  }

  @Test
  void pluginsRunByPriorityHighestFirstWhateverTheOrderAdded() {
    List<String> order = new ArrayList<>();
    TestResult r = PluginTester.forPlugin(TestPlugins.EveryPhase.DESCRIPTOR)
        .withPlugin(LuaStandIn.named("low").priority(10).access(kong -> order.add("low")))
        .withPlugin(LuaStandIn.named("rate-limiting").priority(910).access(kong -> order.add("rate-limiting")))
        .withPlugin(LuaStandIn.named("key-auth").priority(1250).access(kong -> order.add("key-auth")))
        .run();

    assertEquals(List.of("key-auth", "rate-limiting", "low"), order);
    List<String> accessCallers = r.calls().stream().filter(c -> c.phase().equals("access")).map(PdkCall::plugin).distinct().toList();
    assertEquals(List.of("every-phase"), accessCallers, "stand-ins above made no PDK call");
  }

  @Test
  void standInsSeeEachOthersHeadersAndCtxInPriorityOrder() {
    TestResult r = PluginTester.forPlugin(TestPlugins.Deny.DESCRIPTOR)
        .withPlugin(LuaStandIn.named("second").priority(5)
            .access(kong -> kong.response().setHeader("x-order", kong.call("kong.ctx.shared.get", "first").orElse(null) + ",second")))
        .withPlugin(LuaStandIn.named("first").priority(50)
            .access(kong -> kong.call("kong.ctx.shared.set", "first", "first")))
        .run();

    assertEquals("first,second", r.response().header("x-order").orElseThrow());
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void unsimulatedCallFailsTheTestAtOnceNamingTheFunctionEvenWhenThePluginCatches() {
    PluginTester tester = PluginTester.forPlugin(TestPlugins.UsesUnsimulated.DESCRIPTOR);

    UnsimulatedCallError e = assertThrows(UnsimulatedCallError.class, tester::run);

    assertEquals("kong.table.new", e.method());
    assertTrue(e.getMessage().contains("kong.table.new"), e.getMessage());
    assertTrue(e.getMessage().contains("unsimulated"), e.getMessage());
  }

  @Test
  void lenientModeAnswersNilAndLogsLikeKong() {
    TestResult r = PluginTester.forPlugin(TestPlugins.UsesUnsimulated.DESCRIPTOR).kong(k -> k.strict(false)).run();

    assertEquals("still running", r.response().header("x-after").orElseThrow());
    assertEquals("could not find pdk method: kong.table.new", r.logs("err").get(0).message());
  }

  @Test
  void callOutsideItsPhaseIsRefusedBeforeKongSeesItAndThePluginFailsClosed() {
    TestResult r = PluginTester.forPlugin(TestPlugins.WrongPhase.DESCRIPTOR).run();

    assertEquals(500, r.response().status());
    assertEquals("{\"message\":\"An unexpected error occurred\"}", r.response().bodyText());
    assertFalse(r.response().header("x-unreachable").isPresent());
    assertFalse(r.proxied());
    assertTrue(r.callsTo("kong.response.get_status").isEmpty(), r.calls().toString());
    assertTrue(r.logs("err").get(0).message().contains(
        "kong.response.get_status: not sent to Kong: Kong does not allow it in the access phase (only in: response, log)"),
        r.logs().toString());
  }

  @Test
  void throwingPluginGets500AndItsErrorIsLoggedUnderItsName() {
    TestResult r = PluginTester.forPlugin(TestPlugins.Throws.DESCRIPTOR).run();

    assertEquals(500, r.response().status());
    assertEquals("exit", r.response().source());
    LogEntry err = r.logs("err").get(0);
    assertEquals("throws", err.plugin());
    assertTrue(err.message().contains("boom"), err.message());
    assertEquals("boom", r.pluginFailures().get(0).getMessage());
  }

  @Test
  void callAfterExitThrowsEventEnded() {
    List<Throwable> seen = new ArrayList<>();
    TestResult r = PluginTester.forPlugin(TestPlugins.Deny.DESCRIPTOR)
        .withPlugin(LuaStandIn.named("exits").priority(3000).access(kong -> {
          kong.response().exit(418);
          try {
            kong.response().setHeader("x-late", "1");
          } catch (PdkException e) {
            seen.add(e);
          }
        }))
        .run();

    assertEquals(418, r.response().status());
    assertEquals(1, seen.size());
    assertTrue(seen.get(0).getCause() instanceof EventEndedException);
    assertFalse(r.response().header("x-late").isPresent());
    assertTrue(r.callsTo("kong.response.set_header").isEmpty(), "a call after exit never reaches Kong");
  }

  @Test
  void upstreamRequestHasEveryServiceRequestChange() {
    TestResult r = PluginTester.forPlugin(TestPlugins.Rewriter.DESCRIPTOR)
        .request(TestRequest.post("http://example.com/items?old=1").header("X-Multi", "one").header("X-Remove", "r").body("hi"))
        .run();

    UpstreamRequest up = r.upstreamRequest().orElseThrow();
    assertEquals("PUT", up.method());
    assertEquals("/v2/items", up.path());
    assertEquals("a=x&a=y&b=2&flag", up.rawQuery());
    assertEquals("1", up.header("x-up").orElseThrow());
    assertEquals(List.of("one", "two"), up.headers().all("X-MULTI"));
    assertFalse(up.headers().contains("x-remove"));
    assertEquals(List.of(0, 255, 1), toInts(up.body()));
    assertEquals("10.0.0.5", up.host());
    assertEquals(8443, up.port());
    assertEquals(2, up.retries().orElseThrow());
    assertEquals(new UpstreamRequest.Timeouts(100, 200, 300), up.timeouts().orElseThrow());
    assertEquals("127.0.0.1", up.header("x-real-ip").orElseThrow());
  }

  @Test
  void responsePhaseReadsTheServiceResponseAndChangesTheClientResponse() {
    TestResult r = PluginTester.forPlugin(TestPlugins.ResponseReader.DESCRIPTOR)
        .upstream(UpstreamResponse.status(200).header("X-Upstream", "u1").body("payload"))
        .run();

    assertEquals(201, r.response().status());
    assertEquals("200/u1", r.response().header("x-seen").orElseThrow());
    assertEquals("1", r.response().header("x-from-access").orElseThrow());
    assertEquals("u1", r.response().header("x-upstream").orElseThrow());
    assertEquals("payload", r.response().bodyText());
  }

  @Test
  void upstreamFunctionSeesTheFinalUpstreamRequest() {
    TestResult r = PluginTester.forPlugin(TestPlugins.Rewriter.DESCRIPTOR)
        .upstream(req -> UpstreamResponse.status(202).body(req.method() + " " + req.pathWithQuery()))
        .run();

    assertEquals(202, r.response().status());
    assertEquals("PUT /v2/items?a=x&a=y&b=2&flag", r.response().bodyText());
  }

  @Test
  void badConfigIsReportedWithThePluginName() {
    PluginTester tester = PluginTester.forPlugin(Hello.class).config("{\"message\": {\"not\": \"a string\"}}");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, tester::run);

    assertTrue(e.getMessage().startsWith("config of plugin 'hello'"), e.getMessage());
  }

  @Test
  void configRecordIsWrittenAsJson() {
    TestResult r = PluginTester.forPlugin(Hello.class).config(new Hello.Config("hey")).run();

    assertEquals("Java says hey to example.com", r.response().header("x-hello-from-java").orElseThrow());
  }

  @Test
  void schemaDefaultsApplyWhenConfigIsEmpty() {
    TestResult r = PluginTester.forPlugin(Hello.class).run();

    assertEquals("Java says hello to example.com", r.response().header("x-hello-from-java").orElseThrow());
  }

  private static List<Integer> toInts(byte[] bytes) {
    List<Integer> list = new ArrayList<>();
    for (byte b : bytes) {
      list.add(b & 0xff);
    }
    return list;
  }

  @Test
  void exitInTheResponsePhaseReplacesTheServiceResponseAndSkipsLaterResponsePlugins() {
    List<String> ran = new ArrayList<>();
    TestResult r = PluginTester.forPlugin(TestPlugins.EveryPhase.DESCRIPTOR)
        .withPlugin(LuaStandIn.named("replacer").priority(600).response(kong -> {
          ran.add("replacer");
          kong.response().exit(502, "bad gateway");
        }))
        .upstream(UpstreamResponse.status(200).body("service body"))
        .run();

    assertEquals(502, r.response().status());
    assertEquals("bad gateway", r.response().bodyText());
    assertEquals("exit", r.response().source());
    assertTrue(r.proxied());
    assertEquals(List.of("replacer"), ran);
    assertEquals(List.of("every-phase:rewrite", "every-phase:access", "every-phase:log"), phaseLogs(r),
        "every-phase (500) runs its response phase after the replacer (600), which exited");
  }

  @Test
  void exitIsRefusedInTheLogPhaseAndTheClientResponseStands() {
    TestResult r = PluginTester.forPlugin(TestPlugins.Deny.DESCRIPTOR)
        .withPlugin(LuaStandIn.named("late").log(kong -> kong.response().exit(500)))
        .upstream(UpstreamResponse.status(204))
        .run();

    assertEquals(204, r.response().status());
    assertTrue(r.logs("err").stream().anyMatch(l -> l.message().contains(
        "kong.response.exit: function cannot be called in log phase")), r.logs().toString());
  }

  @Test
  void binaryBodiesCrossUnchangedBothWays() {
    byte[] request = {0, (byte) 0xff, (byte) 0xfe, 10, (byte) 0x80};
    byte[] upstream = {(byte) 0xc0, (byte) 0xc1, 0};
    TestResult r = PluginTester.forPlugin(TestPlugins.Deny.DESCRIPTOR)
        .withPlugin(LuaStandIn.named("copier").access(kong -> {
          byte[] body = (byte[]) kong.call("kong.request.get_raw_body").orElseThrow();
          kong.call("kong.service.request.set_raw_body", body);
          kong.response().setHeader("x-length", String.valueOf(body.length));
        }))
        .request(TestRequest.post("http://example.com/bin").body(request))
        .upstream(UpstreamResponse.status(200).body(upstream))
        .run();

    assertEquals(toInts(request), toInts(r.upstreamRequest().orElseThrow().body()));
    assertEquals(toInts(upstream), toInts(r.response().body()));
    assertEquals("5", r.response().header("x-length").orElseThrow());
  }

  /** Counts its access events and how often it is closed. */
  static final class Closing implements dev.kongpdk.plugin.AccessPhase, AutoCloseable {
    private final java.util.concurrent.atomic.AtomicInteger closes;

    Closing(java.util.concurrent.atomic.AtomicInteger closes) {
      this.closes = closes;
    }

    @Override
    public void access(dev.kongpdk.Kong kong) {
      kong.response().setHeader("x-closed-before", String.valueOf(closes.get()));
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  @Test
  void aRunClosesItsAutoCloseablePluginsAfterwardsAsTheServerDoes() {
    var closes = new java.util.concurrent.atomic.AtomicInteger();
    TestDescriptor descriptor = new TestDescriptor("closing", 10, List.of(dev.kongpdk.plugin.Phase.ACCESS),
        Closing.class, null, "[]", config -> new Closing(closes));
    TestResult r = PluginTester.forPlugin(descriptor).run();
    assertEquals("0", r.response().header("x-closed-before").orElseThrow(), "not closed while the request runs");
    assertEquals(1, closes.get());
  }

  /** Counts requests by whether they carry a token, and times a pretend lookup. */
  static final class Measuring implements dev.kongpdk.plugin.AccessPhase {
    private final dev.kongpdk.plugin.PluginMetrics.Counter withToken;
    private final dev.kongpdk.plugin.PluginMetrics.Counter withoutToken;
    private final dev.kongpdk.plugin.PluginMetrics.Timer lookup;

    Measuring(dev.kongpdk.plugin.PluginMetrics metrics) {
      withToken = metrics.counter("requests", "token", "yes");
      withoutToken = metrics.counter("requests", "token", "no");
      lookup = metrics.timer("lookup.latency");
    }

    @Override
    public void access(dev.kongpdk.Kong kong) {
      if (kong.request().getHeader("x-token").isPresent()) {
        withToken.increment(2);
        lookup.record(java.time.Duration.ofMillis(7));
      } else {
        withoutToken.increment();
      }
    }
  }

  private static TestDescriptor measuring(String name) {
    return new TestDescriptor(name, 10, List.of(dev.kongpdk.plugin.Phase.ACCESS), Measuring.class, null,
        "[]", config -> new Measuring(dev.kongpdk.plugin.PluginMetrics.none())) {
      @Override
      public Object newPlugin(Record config, dev.kongpdk.plugin.InstanceInfo instance,
          dev.kongpdk.plugin.PluginMetrics metrics) {
        return new Measuring(metrics);
      }
    };
  }

  @Test
  void aRunExposesTheMetersItsPluginsRecorded_perPluginAndTag() {
    TestResult r = PluginTester.forPlugin(measuring("measuring"))
        .withPlugin(measuring("other"), "{}")
        .request(TestRequest.get("http://example.com/").header("x-token", "t"))
        .run();
    assertEquals(4, r.meters().count("requests"), "2 from each plugin");
    assertEquals(2, r.meters().plugin("other").count("requests", "token", "yes"));
    assertEquals(0, r.meters().count("requests", "token", "no"));
    assertEquals(List.of(java.time.Duration.ofMillis(7)), r.meters().plugin("measuring").timings("lookup.latency"));
    assertEquals(java.util.Set.of("lookup.latency", "requests"), r.meters().names());

    TestResult anonymous = PluginTester.forPlugin(measuring("measuring")).run();
    assertEquals(1, anonymous.meters().count("requests", "token", "no"), "every run records afresh");
    assertEquals(0, anonymous.meters().count("requests", "token", "yes"));
    assertEquals(List.of(), anonymous.meters().timings("lookup.latency"));
  }

  @Test
  void badMeterNamesAreRefusedAsTheServerRefusesThem() {
    var metrics = new RecordedMeters().forPlugin("p");
    var e = assertThrows(IllegalArgumentException.class,
        () -> metrics.counter("Cache Hits"));
    assertTrue(e.getMessage().contains("'Cache Hits'"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> metrics.counter("hits", "plugin", "x"));
    assertThrows(IllegalArgumentException.class,
        () -> metrics.timer("latency", "odd"));
    assertThrows(IllegalArgumentException.class,
        () -> metrics.counter("hits").increment(-1));
  }
}
