package dev.kongpdk.testkit;

import static dev.kongpdk.plugin.Phase.ACCESS;
import static dev.kongpdk.plugin.Phase.PREREAD;
import static dev.kongpdk.plugin.Phase.RESPONSE;
import static dev.kongpdk.plugin.Phase.REWRITE;

import dev.kongpdk.testkit.internal.FormArgs;
import dev.kongpdk.testkit.internal.MemorySizes;
import dev.kongpdk.testkit.internal.Paths;
import dev.kongpdk.testkit.internal.VaultReferences;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** {@code kong.nginx.*}, {@code kong.node.*} and {@code kong.vault.*} as FakeKong answers them. */
final class NodeFunctions {

  private NodeFunctions() {}

  static void register(FakeKong k) {
    k.fn("kong.nginx.get_subsystem", PhaseSets.ANY, a -> "http");
    k.fn("kong.nginx.get_statistics", PhaseSets.ANY, a -> Map.of(
        "connections_active", 1L, "connections_reading", 0L, "connections_writing", 1L,
        "connections_waiting", 0L, "connections_accepted", 1L, "connections_handled", 1L,
        "total_requests", 1L));
    k.fn("kong.nginx.get_var", EnumSet.of(REWRITE, ACCESS, RESPONSE, PREREAD), a -> nginxVar(k, a.string(0, "name")));
    k.fn("kong.nginx.get_tls1_version_str", PhaseSets.ANY, a -> k.request.scheme().equals("https") ? "TLSv1.3" : null);
    k.fn("kong.nginx.get_ctx", PhaseSets.ANY, a -> k.ngxCtx.get(a.string(0, "key")));
    k.fn("kong.nginx.set_ctx", PhaseSets.ANY, a -> {
      String key = a.string(0, "key");
      if (a.opt(1) == null) {
        k.ngxCtx.remove(key);
      } else {
        k.ngxCtx.put(key, a.opt(1));
      }
      return null;
    });
    k.fn("kong.nginx.req_start_time", PhaseSets.ANY, a -> k.settings.startTimeMillis / 1000.0);
    k.fn("kong.node.get_id", PhaseSets.ANY, a -> k.settings.nodeId);
    k.fn("kong.node.get_hostname", PhaseSets.ANY, a -> k.settings.hostname);
    k.fn("kong.node.get_memory_stats", PhaseSets.ANY, a -> {
      String unit = a.opt(0) == null ? "b" : a.string(0, "unit").toLowerCase(Locale.ROOT);
      long scale = a.opt(1) == null ? 2 : a.number(1, "scale").longValue();
      if (!List.of("b", "k", "m", "g").contains(unit)) {
        throw new LuaError(a.method, "invalid unit '" + unit + "' (expected 'k/K', 'm/M', or 'g/G')");
      }
      Function<Long, Object> size = bytes -> unit.equals("b") ? bytes : MemorySizes.format(bytes, unit, scale);
      return Map.of(
          "lua_shared_dicts", Map.of(
              "kong", Map.of("allocated_slabs", size.apply(40960L), "capacity", size.apply(5242880L)),
              "kong_db_cache", Map.of("allocated_slabs", size.apply(794624L), "capacity", size.apply(134217728L))),
          "workers_lua_vms", List.of(Map.of("pid", 1L, "http_allocated_gc", size.apply(3095914L))));
    });
    k.fn("kong.vault.is_reference", PhaseSets.ANY, a -> a.opt(0) instanceof String s && s.startsWith("{vault://") && s.endsWith("}"));
    k.fn("kong.vault.get", PhaseSets.ANY, a -> k.settings.secrets.get(a.string(0, "reference")));
    k.fn("kong.vault.parse_reference", PhaseSets.ANY, a -> VaultReferences.parse(a.string(0, "reference")));
    k.fn("kong.vault.flush", PhaseSets.ANY, a -> null);
    k.fn("kong.vault.update", PhaseSets.ANY, a -> resolveReferences(k, a.opt(0)));
  }

  private static Object nginxVar(FakeKong k, String name) {
    if (k.settings.nginxVars.containsKey(name)) {
      return k.settings.nginxVars.get(name);
    }
    if (name.startsWith("http_")) {
      return k.request.headers().first(name.substring(5).replace('_', '-')).orElse(null);
    }
    if (name.startsWith("arg_")) {
      List<Object> values = FormArgs.parse(k.request.rawQuery(), 100).get(name.substring(4));
      return values == null || !(values.get(0) instanceof String s) ? null : s;
    }
    String query = k.request.rawQuery();
    return switch (name) {
      case "request_uri" -> k.request.rawPath() + (query.isEmpty() ? "" : "?" + query);
      case "uri" -> Paths.normalize(k.request.rawPath());
      case "args", "query_string" -> query.isEmpty() ? null : query;
      case "is_args" -> query.isEmpty() ? "" : "?";
      case "host" -> k.request.host();
      case "scheme" -> k.request.scheme();
      case "request_method" -> k.request.method();
      case "remote_addr", "realip_remote_addr", "binary_remote_addr" -> k.request.clientIp();
      case "remote_port", "realip_remote_port" -> Integer.toString(k.request.clientPort());
      case "server_port" -> Integer.toString(k.request.port());
      case "server_protocol" -> k.request.httpVersion() == 2.0 ? "HTTP/2.0" : "HTTP/" + k.request.httpVersion();
      case "content_type" -> k.request.headers().first("content-type").orElse(null);
      case "content_length" -> k.request.body().length == 0 ? null : Integer.toString(k.request.body().length);
      case "upstream_uri" -> k.upPath + (k.upQuery.isEmpty() ? "" : "?" + k.upQuery);
      default -> null;
    };
  }

  /** {@code kong.vault.update(options)}: every reference in the table replaced by its secret. */
  private static Object resolveReferences(FakeKong k, Object value) {
    if (value instanceof String s && k.settings.secrets.containsKey(s)) {
      return k.settings.secrets.get(s);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((key, v) -> copy.put(String.valueOf(key), resolveReferences(k, v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(resolveReferences(k, v)));
      return copy;
    }
    return value;
  }
}
