package dev.kongpdk.bridge;

import static dev.kongpdk.bridge.PbMethodCases.bytes;
import static dev.kongpdk.bridge.PbMethodCases.field;
import static dev.kongpdk.bridge.PbMethodCases.integer;
import static dev.kongpdk.bridge.PbMethodCases.list;
import static dev.kongpdk.bridge.PbMethodCases.number;
import static dev.kongpdk.bridge.PbMethodCases.str;
import static dev.kongpdk.bridge.PbMethodCases.string;
import static dev.kongpdk.bridge.PbMethodCases.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.kongpdk.Kong;
import dev.kongpdk.PdkException;
import dev.kongpdk.entity.Consumer;
import dev.kongpdk.entity.Credential;
import dev.kongpdk.entity.MemoryStats;
import dev.kongpdk.entity.Route;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every typed method whose Lua function Kong serves over ProtoBuf, through a real server: the
 * typed API's decoders read the ProtoBuf bridge's values as they read MessagePack's; and every
 * typed method Kong does not serve over ProtoBuf fails at once, naming its function.
 */
@Timeout(20)
class PbTypedApiTest {

  @TempDir Path dir;

  private static final String DONE = "done";

  record Case(String name, Function<Kong, Object> call, String method, Message reply, Object expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Case get(String name, Function<Kong, Object> call, String method, Message reply, Object expected) {
    return new Case(name, call, method, reply, expected);
  }

  private static Case set(String name, java.util.function.Consumer<Kong> call, String method) {
    return new Case(name, kong -> {
      call.accept(kong);
      return DONE;
    }, method, null, DONE);
  }

  private static PluginSocket.Bool bool(boolean v) {
    return PluginSocket.Bool.newBuilder().setV(v).build();
  }

  static List<Case> reachable() {
    Consumer alice = new Consumer("u1", Optional.of("alice"), Optional.empty(), List.of(),
        java.util.OptionalLong.empty(), java.util.OptionalLong.empty(), Map.of());
    Credential key = new Credential("c1", Optional.of("u1"), Map.of());
    PluginSocket.Struct headers = struct(field("x-multi", list(string("a"), string("b"))), field("host", string("h")));
    Map<String, List<String>> expectedHeaders = Map.of("x-multi", List.of("a", "b"), "host", List.of("h"));
    List<Case> c = new ArrayList<>();
    // kong.request
    c.add(get("request.getScheme", k -> k.request().getScheme(), "kong.request.get_scheme", str("https"), "https"));
    c.add(get("request.getHost", k -> k.request().getHost(), "kong.request.get_host", str("h"), "h"));
    c.add(get("request.getPort", k -> k.request().getPort(), "kong.request.get_port", integer(8000), 8000));
    c.add(get("request.getForwardedScheme", k -> k.request().getForwardedScheme(), "kong.request.get_forwarded_scheme", str("http"), "http"));
    c.add(get("request.getForwardedHost", k -> k.request().getForwardedHost(), "kong.request.get_forwarded_host", str("f"), "f"));
    c.add(get("request.getForwardedPort", k -> k.request().getForwardedPort(), "kong.request.get_forwarded_port", integer(443), 443));
    c.add(get("request.getHttpVersion", k -> k.request().getHttpVersion().getAsDouble(), "kong.request.get_http_version",
        PluginSocket.Number.newBuilder().setV(1.0).build(), 1.0));
    c.add(get("request.getMethod", k -> k.request().getMethod(), "kong.request.get_method", str("GET"), "GET"));
    c.add(get("request.getPath", k -> k.request().getPath(), "kong.request.get_path", str("/a"), "/a"));
    c.add(get("request.getPathWithQuery", k -> k.request().getPathWithQuery(), "kong.request.get_path_with_query", str("/a?b"), "/a?b"));
    c.add(get("request.getRawQuery (empty)", k -> k.request().getRawQuery(), "kong.request.get_raw_query", null, ""));
    c.add(get("request.getQueryArg", k -> k.request().getQueryArg("x"), "kong.request.get_query_arg", str("1"), Optional.of("1")));
    c.add(get("request.getQueryArg (absent)", k -> k.request().getQueryArg("y"), "kong.request.get_query_arg", null, Optional.empty()));
    c.add(get("request.getQuery", k -> k.request().getQuery(), "kong.request.get_query",
        struct(field("a", list(string("1"), string("2"))), field("flag", PluginSocket.Value.newBuilder().setBoolValue(true).build())),
        Map.of("a", List.of("1", "2"), "flag", List.of())));
    c.add(get("request.getQuery(max)", k -> k.request().getQuery(5), "kong.request.get_query", struct(), Map.of()));
    c.add(get("request.getHeader", k -> k.request().getHeader("host"), "kong.request.get_header", str("h"), Optional.of("h")));
    c.add(get("request.getHeaders", k -> k.request().getHeaders(), "kong.request.get_headers", headers, expectedHeaders));
    c.add(get("request.getHeaders(max)", k -> k.request().getHeaders(10), "kong.request.get_headers", headers, expectedHeaders));
    c.add(get("request.getRawBody", k -> k.request().getRawBody().map(Arrays::toString), "kong.request.get_raw_body",
        PluginSocket.RawBodyResult.newBuilder().setContent(ByteString.copyFrom(new byte[] {0, -1})).build(),
        Optional.of("[0, -1]")));
    c.add(get("request.getUriCaptures", k -> k.request().getUriCaptures(), "kong.request.get_uri_captures",
        PluginSocket.UriCapturesResult.newBuilder().addUnnamed(bytes("/a")).putNamed("id", bytes("a")).build(),
        new dev.kongpdk.entity.UriCaptures(List.of("/a"), Map.of("id", "a"))));
    // kong.response
    c.add(get("response.getStatus", k -> k.response().getStatus(), "kong.response.get_status", integer(200), 200));
    c.add(get("response.getHeader", k -> k.response().getHeader("x"), "kong.response.get_header", str("1"), Optional.of("1")));
    c.add(get("response.getHeaders", k -> k.response().getHeaders(), "kong.response.get_headers", headers, expectedHeaders));
    c.add(get("response.getHeaders(max)", k -> k.response().getHeaders(3), "kong.response.get_headers", headers, expectedHeaders));
    c.add(get("response.getSource", k -> k.response().getSource(), "kong.response.get_source", str("service"), "service"));
    c.add(set("response.setStatus", k -> k.response().setStatus(404), "kong.response.set_status"));
    c.add(set("response.setHeader", k -> k.response().setHeader("x", "1"), "kong.response.set_header"));
    c.add(set("response.setHeader(list)", k -> k.response().setHeader("x", List.of("1", "2")), "kong.response.set_headers"));
    c.add(set("response.addHeader", k -> k.response().addHeader("x", "1"), "kong.response.add_header"));
    c.add(set("response.clearHeader", k -> k.response().clearHeader("x"), "kong.response.clear_header"));
    c.add(set("response.setHeaders", k -> k.response().setHeaders(Map.of("x", List.of("1"))), "kong.response.set_headers"));
    c.add(set("response.exit(status)", k -> k.response().exit(204), "kong.response.exit"));
    c.add(set("response.exit(status, body)", k -> k.response().exit(403, "no"), "kong.response.exit"));
    c.add(set("response.exit(status, map, headers)",
        k -> k.response().exit(403, Map.of("m", "no"), Map.of("X", "1")), "kong.response.exit"));
    // kong.client
    c.add(get("client.getIp", k -> k.client().getIp(), "kong.client.get_ip", str("1.2.3.4"), "1.2.3.4"));
    c.add(get("client.getForwardedIp", k -> k.client().getForwardedIp(), "kong.client.get_forwarded_ip", str("5.6.7.8"), "5.6.7.8"));
    c.add(get("client.getPort", k -> k.client().getPort(), "kong.client.get_port", integer(5000), 5000));
    c.add(get("client.getForwardedPort", k -> k.client().getForwardedPort(), "kong.client.get_forwarded_port", integer(5001), 5001));
    c.add(get("client.getCredential", k -> k.client().getCredential().map(Credential::id), "kong.client.get_credential",
        PluginSocket.AuthenticatedCredential.newBuilder().setId("c1").setConsumerId("u1").build(), Optional.of("c1")));
    c.add(get("client.getCredential (none)", k -> k.client().getCredential(), "kong.client.get_credential", null, Optional.empty()));
    PluginSocket.Consumer consumer = PluginSocket.Consumer.newBuilder().setId("u1").setUsername("alice").build();
    c.add(get("client.loadConsumer", k -> k.client().loadConsumer("u1").flatMap(Consumer::username),
        "kong.client.load_consumer", consumer, Optional.of("alice")));
    c.add(get("client.loadConsumer(byUsername)", k -> k.client().loadConsumer("alice", true).map(Consumer::id),
        "kong.client.load_consumer", consumer, Optional.of("u1")));
    c.add(get("client.getConsumer", k -> k.client().getConsumer().map(Consumer::id), "kong.client.get_consumer", consumer, Optional.of("u1")));
    c.add(set("client.authenticate(consumer)", k -> k.client().authenticate(alice), "kong.client.authenticate"));
    c.add(set("client.authenticate(consumer, credential)", k -> k.client().authenticate(alice, key), "kong.client.authenticate"));
    c.add(get("client.getProtocol", k -> k.client().getProtocol(), "kong.client.get_protocol", str("https"), Optional.of("https")));
    c.add(get("client.getProtocol(true)", k -> k.client().getProtocol(true), "kong.client.get_protocol", str("http"), Optional.of("http")));
    // kong.node, kong.nginx, kong.ip
    c.add(get("node.getId", k -> k.node().getId(), "kong.node.get_id", str("n"), "n"));
    c.add(get("node.getMemoryStats", k -> k.node().getMemoryStats().luaSharedDicts().get("kong"), "kong.node.get_memory_stats",
        PluginSocket.MemoryStats.newBuilder().setLuaSharedDicts(PluginSocket.MemoryStats.LuaSharedDicts.newBuilder()
            .setKong(PluginSocket.MemoryStats.LuaSharedDicts.DictStats.newBuilder().setAllocatedSlabs(1).setCapacity(2))).build(),
        new MemoryStats.SharedDict(1, 2)));
    c.add(get("nginx.getSubsystem", k -> k.nginx().getSubsystem(), "kong.nginx.get_subsystem", str("http"), "http"));
    c.add(get("nginx.getVar", k -> k.nginx().getVar("uri"), "kong.nginx.get_var", str("/a"), Optional.of("/a")));
    c.add(get("nginx.getTls1VersionStr", k -> k.nginx().getTls1VersionStr(), "kong.nginx.get_tls1_version_str", str("TLSv1.3"), Optional.of("TLSv1.3")));
    c.add(get("nginx.getCtx", k -> k.nginx().getCtx("k"), "kong.nginx.get_ctx", string("v"), Optional.of("v")));
    c.add(get("nginx.getCtxString", k -> k.nginx().getCtxString("k"), "kong.nginx.get_ctx", string("v"), Optional.of("v")));
    c.add(get("nginx.getCtxLong", k -> k.nginx().getCtxLong("k").getAsLong(), "kong.nginx.get_ctx", number(1700000000000.0), 1700000000000L));
    c.add(get("nginx.getCtxDouble", k -> k.nginx().getCtxDouble("k").getAsDouble(), "kong.nginx.get_ctx", number(0.5), 0.5));
    c.add(set("nginx.setCtx", k -> k.nginx().setCtx("k", "v"), "kong.nginx.set_ctx"));
    c.add(get("nginx.reqStartTime", k -> k.nginx().reqStartTime(), "kong.nginx.req_start_time",
        PluginSocket.Number.newBuilder().setV(1700000000.5).build(), 1700000000.5));
    c.add(get("ip.isTrusted", k -> k.ip().isTrusted("10.0.0.1"), "kong.ip.is_trusted", bool(true), true));
    // kong.router
    c.add(get("router.getRoute", k -> k.router().getRoute().map(Route::paths), "kong.router.get_route",
        PluginSocket.Route.newBuilder().setId("r1").addPaths("/a").setStripPath(true)
            .setService(PluginSocket.ServiceKey.newBuilder().setId("s1")).build(), Optional.of(List.of("/a"))));
    c.add(get("router.getService", k -> k.router().getService().map(s -> s.host() + ":" + s.port()), "kong.router.get_service",
        PluginSocket.Service.newBuilder().setId("s1").setHost("up").setPort(80).setProtocol("http").build(),
        Optional.of("up:80")));
    // kong.ctx.shared
    c.add(get("ctx.shared.get", k -> k.ctx().shared().get("k"), "kong.ctx.shared.get", string("v"), Optional.of("v")));
    c.add(get("ctx.shared.getString", k -> k.ctx().shared().getString("k"), "kong.ctx.shared.get", string("v"), Optional.of("v")));
    c.add(get("ctx.shared.getLong", k -> k.ctx().shared().getLong("k").getAsLong(), "kong.ctx.shared.get", number(3), 3L));
    c.add(get("ctx.shared.getDouble", k -> k.ctx().shared().getDouble("k").getAsDouble(), "kong.ctx.shared.get", number(2.5), 2.5));
    c.add(get("ctx.shared.getBoolean", k -> k.ctx().shared().getBoolean("k"), "kong.ctx.shared.get",
        PluginSocket.Value.newBuilder().setBoolValue(true).build(), Optional.of(true)));
    c.add(get("ctx.shared.get (absent)", k -> k.ctx().shared().get("k"), "kong.ctx.shared.get", null, Optional.empty()));
    c.add(set("ctx.shared.set", k -> k.ctx().shared().set("k", Map.of("a", 1)), "kong.ctx.shared.set"));
    // kong.service and kong.service.request / response
    c.add(get("service.setUpstream", k -> {
      k.service().setUpstream("up");
      return DONE;
    }, "kong.service.set_upstream", bool(true), DONE)); // Kong 3.7+: Bool{true}
    c.add(set("service.setTarget", k -> k.service().setTarget("h", 8080), "kong.service.set_target"));
    c.add(set("service.request.setScheme", k -> k.service().request().setScheme("https"), "kong.service.request.set_scheme"));
    c.add(set("service.request.setPath", k -> k.service().request().setPath("/x"), "kong.service.request.set_path"));
    c.add(set("service.request.setRawQuery", k -> k.service().request().setRawQuery("a=1"), "kong.service.request.set_raw_query"));
    c.add(set("service.request.setMethod", k -> k.service().request().setMethod("POST"), "kong.service.request.set_method"));
    c.add(set("service.request.setQuery", k -> k.service().request().setQuery(Map.of("a", List.of("1"))), "kong.service.request.set_query"));
    c.add(set("service.request.setHeader", k -> k.service().request().setHeader("h", "v"), "kong.service.request.set_header"));
    c.add(set("service.request.setHeader(list)", k -> k.service().request().setHeader("h", List.of("v", "w")), "kong.service.request.set_headers"));
    c.add(set("service.request.addHeader", k -> k.service().request().addHeader("h", "v"), "kong.service.request.add_header"));
    c.add(set("service.request.clearHeader", k -> k.service().request().clearHeader("h"), "kong.service.request.clear_header"));
    c.add(set("service.request.setHeaders", k -> k.service().request().setHeaders(Map.of("h", List.of("v"))), "kong.service.request.set_headers"));
    c.add(set("service.request.setRawBody(bytes)", k -> k.service().request().setRawBody(new byte[] {1}), "kong.service.request.set_raw_body"));
    c.add(set("service.request.setRawBody(text)", k -> k.service().request().setRawBody("b"), "kong.service.request.set_raw_body"));
    c.add(get("service.response.getStatus", k -> k.service().response().getStatus().getAsInt(), "kong.service.response.get_status", integer(502), 502));
    c.add(get("service.response.getStatus (none)", k -> k.service().response().getStatus().isPresent(), "kong.service.response.get_status", null, false));
    c.add(get("service.response.getHeader", k -> k.service().response().getHeader("server"), "kong.service.response.get_header", str("nginx"), Optional.of("nginx")));
    c.add(get("service.response.getHeaders", k -> k.service().response().getHeaders(), "kong.service.response.get_headers", headers, expectedHeaders));
    c.add(get("service.response.getHeaders(max)", k -> k.service().response().getHeaders(2), "kong.service.response.get_headers", headers, expectedHeaders));
    c.add(get("service.response.getRawBody", k -> k.service().response().getRawBody().map(Arrays::toString), "kong.service.response.get_raw_body",
        PluginSocket.ByteString.newBuilder().setV(ByteString.copyFrom(new byte[] {5})).build(), Optional.of("[5]")));
    // kong.log
    c.add(set("log.alert", k -> k.log().alert("a"), "kong.log.alert"));
    c.add(set("log.crit", k -> k.log().crit("a"), "kong.log.crit"));
    c.add(set("log.err", k -> k.log().err("a"), "kong.log.err"));
    c.add(set("log.warn", k -> k.log().warn("a"), "kong.log.warn"));
    c.add(set("log.notice", k -> k.log().notice("a"), "kong.log.notice"));
    c.add(set("log.info", k -> k.log().info("a"), "kong.log.info"));
    c.add(set("log.debug", k -> k.log().debug("a"), "kong.log.debug"));
    c.add(set("log.setSerializeValue", k -> k.log().setSerializeValue("k", "v"), "kong.log.set_serialize_value"));
    c.add(get("log.serialize", k -> k.log().serialize(), "kong.log.serialize", str("{}"), "{}"));
    return c;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reachable")
  void theTypedApiReadsProtobufAsItReadsMessagePack(Case c) throws Exception {
    BlockingQueue<Object> results = new ArrayBlockingQueue<>(1);
    try (PluginServer server = PluginServer.builder()
            .plugin(new ProtobufDescriptor(PhaseOf.anyPhase("typed", kong -> {
              try {
                results.add(c.call().apply(kong));
              } catch (RuntimeException e) {
                results.add(e);
              }
            })))
            .socket(dir.resolve("typed.socket"))
            .start();
        KongPbWire kong = new KongPbWire(server.socket())) {
      kong.handleEvent(kong.startInstance("typed", PhaseOf.KONG_3), PhaseOf.of(c.method()).luaName());
      kong.expectCall(c.method());
      if (!c.method().equals("kong.response.exit")) {
        if (c.reply() == null) {
          kong.replyEmpty();
        } else {
          kong.reply(c.reply());
        }
      }
      Object result = results.poll(5, TimeUnit.SECONDS);
      if (result instanceof Throwable t) {
        throw new AssertionError(c.name() + " failed in the plugin", t);
      }
      assertEquals(c.expected(), result);
    }
  }

  static List<Object[]> unreachable() {
    return List.of(
        new Object[] {"kong.request.get_forwarded_path", (Function<Kong, Object>) k -> k.request().getForwardedPath()},
        new Object[] {"kong.request.get_raw_path", (Function<Kong, Object>) k -> k.request().getRawPath()},
        new Object[] {"kong.request.get_body", (Function<Kong, Object>) k -> k.request().getBody()},
        new Object[] {"kong.request.get_start_time", (Function<Kong, Object>) k -> k.request().getStartTime()},
        new Object[] {"kong.response.error", (Function<Kong, Object>) k -> {
          k.response().error(500);
          return null;
        }},
        new Object[] {"kong.node.get_hostname", (Function<Kong, Object>) k -> k.node().getHostname()},
        new Object[] {"kong.nginx.get_statistics", (Function<Kong, Object>) k -> k.nginx().getStatistics()},
        new Object[] {"kong.service.set_retries", (Function<Kong, Object>) k -> {
          k.service().setRetries(3);
          return null;
        }},
        new Object[] {"kong.service.response.get_body", (Function<Kong, Object>) k -> k.service().response().getBody()},
        new Object[] {"kong.log.emerg", (Function<Kong, Object>) k -> {
          k.log().emerg("x");
          return null;
        }});
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unreachable")
  void aTypedMethodKongDoesNotServeOverProtobufFailsAtOnce(String luaName, Function<Kong, Object> call)
      throws Exception {
    BlockingQueue<Object> results = new ArrayBlockingQueue<>(1);
    try (PluginServer server = PluginServer.builder()
            .plugin(new ProtobufDescriptor(PhaseOf.anyPhase("typed", kong -> {
              try {
                results.add(call.apply(kong));
              } catch (PdkException e) {
                results.add(e);
              }
            })))
            .socket(dir.resolve("typed.socket"))
            .start();
        KongPbWire kong = new KongPbWire(server.socket())) {
      kong.handleEvent(kong.startInstance("typed", PhaseOf.KONG_3), PhaseOf.of(luaName).luaName());
      kong.expectEnd(); // nothing reached the wire
      PdkException e = (PdkException) results.poll(5, TimeUnit.SECONDS);
      assertEquals(luaName, e.method());
      assertTrue(e.getMessage().contains("not available over ProtoBuf"), e.getMessage());
    }
  }
}
