package dev.kongpdk.bridge;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.AuthenticateArgs;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.AuthenticatedCredential;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.Consumer;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.ConsumerSpec;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.ExitArgs;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.KV;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.ListValue;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.MemoryStats;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.RawBodyResult;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.Route;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.Service;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.ServiceKey;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.Struct;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.Target;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.UriCapturesResult;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One case per PDK function Kong exposes over ProtoBuf: the plain Java arguments a plugin passes,
 * the argument message Kong must receive, Kong's reply (as {@code pb_rpc.lua} wraps the Lua
 * result; {@code null} for an empty frame) and the plain Java value the plugin must get back, the
 * same value the MessagePack protocol gives.
 */
final class PbMethodCases {

  record Case(String method, List<Object> args, Message expectedArgs, Message reply, Object expected) {
    @Override
    public String toString() {
      return method;
    }
  }

  private PbMethodCases() {}

  static final Message EMPTY = PluginSocket.Empty.getDefaultInstance();

  static List<Case> all() {
    List<Case> c = new ArrayList<>();
    // kong.client
    c.add(new Case("kong.client.get_ip", List.of(), EMPTY, str("1.2.3.4"), "1.2.3.4"));
    c.add(new Case("kong.client.get_forwarded_ip", List.of(), EMPTY, str("5.6.7.8"), "5.6.7.8"));
    c.add(new Case("kong.client.get_port", List.of(), EMPTY, integer(8000), 8000L));
    c.add(new Case("kong.client.get_forwarded_port", List.of(), EMPTY, integer(443), 443L));
    c.add(new Case("kong.client.get_credential", List.of(), EMPTY,
        AuthenticatedCredential.newBuilder().setId("c1").setConsumerId("u1").build(),
        Map.of("id", "c1", "consumer_id", "u1")));
    c.add(new Case("kong.client.load_consumer", List.of("alice", true),
        ConsumerSpec.newBuilder().setId("alice").setByUsername(true).build(),
        Consumer.newBuilder().setId("u1").setCreatedAt(1700000000).setUsername("alice").addTags("t").build(),
        Map.of("id", "u1", "created_at", 1700000000L, "username", "alice", "tags", List.of("t"))));
    c.add(new Case("kong.client.get_consumer", List.of(), EMPTY, null, null));
    c.add(new Case("kong.client.authenticate",
        List.of(Map.of("id", "u1", "username", "alice"), Map.of("id", "c1", "consumer_id", "u1")),
        AuthenticateArgs.newBuilder()
            .setConsumer(Consumer.newBuilder().setId("u1").setUsername("alice"))
            .setCredential(AuthenticatedCredential.newBuilder().setId("c1").setConsumerId("u1"))
            .build(),
        null, null));
    c.add(new Case("kong.client.get_protocol", List.of(true),
        PluginSocket.Bool.newBuilder().setV(true).build(), str("https"), "https"));
    // kong.ctx.shared
    c.add(new Case("kong.ctx.shared.set", List.of("k", Map.of("a", 1L)),
        KV.newBuilder().setK(bytes("k")).setV(structValue("a", number(1))).build(), null, null));
    c.add(new Case("kong.ctx.shared.get", List.of("k"), str("k"), structValue("a", number(1)),
        Map.of("a", 1L)));
    // kong.ip
    c.add(new Case("kong.ip.is_trusted", List.of("10.0.0.1"), str("10.0.0.1"),
        PluginSocket.Bool.newBuilder().setV(true).build(), true));
    // kong.log
    for (String level : List.of("alert", "crit", "err", "warn", "notice", "info", "debug")) {
      c.add(new Case("kong.log." + level, List.of("a ", "b"),
          ListValue.newBuilder().addValues(string("a ")).addValues(string("b")).build(), null, null));
    }
    c.add(new Case("kong.log.set_serialize_value", List.of("k", "v"),
        KV.newBuilder().setK(bytes("k")).setV(string("v")).build(), null, null));
    c.add(new Case("kong.log.serialize", List.of(), EMPTY, str("{\"a\":1}"), "{\"a\":1}"));
    // kong.nginx
    c.add(new Case("kong.nginx.get_var", List.of("request_uri"), str("request_uri"), str("/x?y"), "/x?y"));
    c.add(new Case("kong.nginx.get_tls1_version_str", List.of(), EMPTY, str("TLSv1.3"), "TLSv1.3"));
    c.add(new Case("kong.nginx.set_ctx", List.of("k", 5L),
        KV.newBuilder().setK(bytes("k")).setV(number(5)).build(), null, null));
    c.add(new Case("kong.nginx.get_ctx", List.of("k"), str("k"), number(5), 5L));
    c.add(new Case("kong.nginx.req_start_time", List.of(), EMPTY,
        PluginSocket.Number.newBuilder().setV(1700000000.125).build(), 1700000000.125));
    c.add(new Case("kong.nginx.get_subsystem", List.of(), EMPTY, str("http"), "http"));
    // kong.node
    c.add(new Case("kong.node.get_id", List.of(), EMPTY, str("n-1"), "n-1"));
    c.add(new Case("kong.node.get_memory_stats", List.of(), EMPTY,
        MemoryStats.newBuilder()
            .setLuaSharedDicts(MemoryStats.LuaSharedDicts.newBuilder().setKong(
                MemoryStats.LuaSharedDicts.DictStats.newBuilder().setAllocatedSlabs(40960).setCapacity(5242880)))
            .addWorkersLuaVms(MemoryStats.WorkerLuaVm.newBuilder().setHttpAllocatedGc(100).setPid(7))
            .build(),
        Map.of("lua_shared_dicts", Map.of("kong", Map.of("allocated_slabs", 40960L, "capacity", 5242880L)),
            "workers_lua_vms", List.of(Map.of("http_allocated_gc", 100L, "pid", 7L)))));
    // kong.request
    c.add(new Case("kong.request.get_scheme", List.of(), EMPTY, str("https"), "https"));
    c.add(new Case("kong.request.get_host", List.of(), EMPTY, str("example.com"), "example.com"));
    c.add(new Case("kong.request.get_port", List.of(), EMPTY, integer(8443), 8443L));
    c.add(new Case("kong.request.get_forwarded_scheme", List.of(), EMPTY, str("http"), "http"));
    c.add(new Case("kong.request.get_forwarded_host", List.of(), EMPTY, str("f.example"), "f.example"));
    c.add(new Case("kong.request.get_forwarded_port", List.of(), EMPTY, integer(80), 80L));
    c.add(new Case("kong.request.get_http_version", List.of(), EMPTY,
        PluginSocket.Number.newBuilder().setV(1.1).build(), 1.1));
    c.add(new Case("kong.request.get_method", List.of(), EMPTY, str("GET"), "GET"));
    c.add(new Case("kong.request.get_path", List.of(), EMPTY, str("/a"), "/a"));
    c.add(new Case("kong.request.get_path_with_query", List.of(), EMPTY, str("/a?x=1"), "/a?x=1"));
    c.add(new Case("kong.request.get_raw_query", List.of(), EMPTY, null, ""));
    c.add(new Case("kong.request.get_query_arg", List.of("x"), str("x"), str("1"), "1"));
    c.add(new Case("kong.request.get_query", List.of(),
        PluginSocket.Int.getDefaultInstance(),
        struct(field("x", string("1")), field("y", list(string("a"), string("b"))),
            field("flag", Value.newBuilder().setBoolValue(true).build())),
        Map.of("x", List.of("1"), "y", List.of("a", "b"), "flag", true)));
    c.add(new Case("kong.request.get_header", List.of("host"), str("host"), str("example.com"), "example.com"));
    c.add(new Case("kong.request.get_headers", List.of(50L), integer(50),
        struct(field("accept", string("*/*")), field("x-multi", list(string("one"), string("two")))),
        Map.of("accept", List.of("*/*"), "x-multi", List.of("one", "two"))));
    c.add(new Case("kong.request.get_raw_body", List.of(), EMPTY,
        RawBodyResult.newBuilder().setContent(ByteString.copyFrom(new byte[] {0, (byte) 0xff, 'b'})).build(),
        new byte[] {0, (byte) 0xff, 'b'}));
    c.add(new Case("kong.request.get_uri_captures", List.of(), EMPTY,
        UriCapturesResult.newBuilder().addUnnamed(bytes("/a/b")).addUnnamed(bytes("b"))
            .putNamed("id", bytes("b")).build(),
        Map.of("unnamed", List.of("/a/b", "b"), "named", Map.of("id", "b"))));
    // kong.response
    c.add(new Case("kong.response.get_status", List.of(), EMPTY, integer(200), 200L));
    c.add(new Case("kong.response.get_header", List.of("x"), str("x"), null, null));
    c.add(new Case("kong.response.get_headers", List.of(), PluginSocket.Int.getDefaultInstance(),
        struct(field("server", string("nginx"))), Map.of("server", List.of("nginx"))));
    c.add(new Case("kong.response.get_source", List.of(), EMPTY, str("service"), "service"));
    c.add(new Case("kong.response.set_status", List.of(404L), integer(404), null, null));
    c.add(new Case("kong.response.set_header", List.of("x", "1"),
        KV.newBuilder().setK(bytes("x")).setV(string("1")).build(), null, null));
    c.add(new Case("kong.response.add_header", List.of("x", "2"),
        KV.newBuilder().setK(bytes("x")).setV(string("2")).build(), null, null));
    c.add(new Case("kong.response.clear_header", List.of("x"), str("x"), null, null));
    c.add(new Case("kong.response.set_headers", List.of(Map.of("a", List.of("1", "2"))),
        struct(field("a", list(string("1"), string("2")))), null, null));
    c.add(new Case("kong.response.exit", List.of(403L, "no", Map.of("X", "1")),
        ExitArgs.newBuilder().setStatus(403).setBody(bytes("no"))
            .setHeaders(struct(field("X", string("1")))).build(),
        null, null));
    // kong.router
    c.add(new Case("kong.router.get_route", List.of(), EMPTY,
        Route.newBuilder().setId("r1").setName("rt").addProtocols("http").addPaths("/a")
            .setStripPath(true).setService(ServiceKey.newBuilder().setId("s1")).build(),
        map("id", "r1", "created_at", 0L, "updated_at", 0L, "name", "rt",
            "protocols", List.of("http"), "paths", List.of("/a"),
            "https_redirect_status_code", 0L, "regex_priority", 0L,
            "strip_path", true, "preserve_host", false, "service", Map.of("id", "s1"))));
    c.add(new Case("kong.router.get_service", List.of(), EMPTY,
        Service.newBuilder().setId("s1").setHost("up").setPort(80).setProtocol("http").build(),
        map("id", "s1", "created_at", 0L, "updated_at", 0L, "retries", 0L, "protocol", "http",
            "host", "up", "port", 80L, "connect_timeout", 0L, "write_timeout", 0L,
            "read_timeout", 0L)));
    // kong.service
    c.add(new Case("kong.service.set_upstream", List.of("up"), str("up"),
        PluginSocket.Bool.newBuilder().setV(true).build(), true));
    c.add(new Case("kong.service.set_target", List.of("h", 8080L),
        Target.newBuilder().setHost("h").setPort(8080).build(), null, null));
    // kong.service.request
    for (String setter : List.of("set_scheme", "set_path", "set_raw_query", "set_method", "clear_header")) {
      c.add(new Case("kong.service.request." + setter, List.of("v"), str("v"), null, null));
    }
    c.add(new Case("kong.service.request.set_query", List.of(Map.of("a", "1")),
        struct(field("a", string("1"))), null, null));
    c.add(new Case("kong.service.request.set_header", List.of("h", "v"),
        KV.newBuilder().setK(bytes("h")).setV(string("v")).build(), null, null));
    c.add(new Case("kong.service.request.add_header", List.of("h", "w"),
        KV.newBuilder().setK(bytes("h")).setV(string("w")).build(), null, null));
    c.add(new Case("kong.service.request.set_headers", List.of(Map.of("h", "v")),
        struct(field("h", string("v"))), null, null));
    c.add(new Case("kong.service.request.set_raw_body", List.of((Object) new byte[] {1, 2}),
        PluginSocket.ByteString.newBuilder().setV(ByteString.copyFrom(new byte[] {1, 2})).build(),
        null, null));
    // kong.service.response
    c.add(new Case("kong.service.response.get_status", List.of(), EMPTY, integer(502), 502L));
    c.add(new Case("kong.service.response.get_header", List.of("server"), str("server"),
        str("nginx"), "nginx"));
    c.add(new Case("kong.service.response.get_headers", List.of(), PluginSocket.Int.getDefaultInstance(),
        struct(field("server", string("nginx"))), Map.of("server", List.of("nginx"))));
    c.add(new Case("kong.service.response.get_raw_body", List.of(), EMPTY,
        PluginSocket.ByteString.newBuilder().setV(ByteString.copyFrom(new byte[] {(byte) 0xcf})).build(),
        new byte[] {(byte) 0xcf}));
    return c;
  }

  /** Compares results, with byte arrays by content. */
  static Object comparable(Object value) {
    return switch (value) {
      case byte[] b -> "bytes" + Arrays.toString(b);
      case List<?> l -> l.stream().map(PbMethodCases::comparable).toList();
      case Map<?, ?> m -> {
        Map<Object, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, comparable(v)));
        yield out;
      }
      case null -> "null";
      default -> value;
    };
  }

  static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }

  static PluginSocket.String str(String v) {
    return PluginSocket.String.newBuilder().setV(bytes(v)).build();
  }

  static PluginSocket.Int integer(int v) {
    return PluginSocket.Int.newBuilder().setV(v).build();
  }

  static Value string(String v) {
    return Value.newBuilder().setStringValue(bytes(v)).build();
  }

  static Value number(double v) {
    return Value.newBuilder().setNumberValue(v).build();
  }

  static Value list(Value... values) {
    return Value.newBuilder().setListValue(ListValue.newBuilder().addAllValues(List.of(values))).build();
  }

  static Struct.Field field(String key, Value value) {
    return Struct.Field.newBuilder().setKey(bytes(key)).setValue(value).build();
  }

  static Struct struct(Struct.Field... fields) {
    return Struct.newBuilder().addAllFields(List.of(fields)).build();
  }

  static Value structValue(String key, Value value) {
    return Value.newBuilder().setStructValue(struct(field(key, value))).build();
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
