package dev.kongpdk.internal;

import dev.kongpdk.PdkException;
import dev.kongpdk.entity.Consumer;
import dev.kongpdk.entity.Credential;
import dev.kongpdk.entity.MemoryStats;
import dev.kongpdk.entity.NginxStatistics;
import dev.kongpdk.entity.Route;
import dev.kongpdk.entity.Service;
import dev.kongpdk.entity.UriCaptures;
import dev.kongpdk.entity.VaultReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Reads Kong entities from the tables Kong sends. Missing fields, unknown fields and {@code nil}s
 * are tolerated; an empty table may arrive as an empty array.
 */
final class Entities {

  private Entities() {}

  static Optional<Route> route(String method, Object value) {
    if (value == null) {
      return Optional.empty();
    }
    Fields f = new Fields(method, value);
    Map<String, Object> service = Values.map(method, f.raw("service"));
    return Optional.of(new Route(
        f.id(),
        f.string("name"),
        f.strings("protocols"),
        f.strings("methods"),
        f.strings("hosts"),
        f.strings("paths"),
        Values.multiMap(method, f.raw("headers")),
        f.number("https_redirect_status_code"),
        f.number("regex_priority").orElse(0),
        f.bool("strip_path", true),
        f.bool("preserve_host", false),
        f.string("path_handling"),
        f.bool("request_buffering", true),
        f.bool("response_buffering", true),
        f.strings("snis"),
        f.strings("tags"),
        Values.optionalString(method, service.get("id")),
        f.string("ws_id"),
        f.number("created_at"),
        f.number("updated_at"),
        f.all()));
  }

  static Optional<Service> service(String method, Object value) {
    if (value == null) {
      return Optional.empty();
    }
    Fields f = new Fields(method, value);
    Map<String, Object> certificate = Values.map(method, f.raw("client_certificate"));
    List<String> caCertificates = f.strings("ca_certificates");
    return Optional.of(new Service(
        f.id(),
        f.string("name"),
        f.string("protocol").orElse("http"),
        f.string("host").orElse(""),
        f.number("port").orElse(80),
        f.string("path"),
        f.number("retries").orElse(5),
        f.number("connect_timeout").orElse(60_000),
        f.number("write_timeout").orElse(60_000),
        f.number("read_timeout").orElse(60_000),
        f.bool("enabled", true),
        f.strings("tags"),
        Values.optionalString(method, certificate.get("id")),
        Values.optionalBoolean(method, f.raw("tls_verify")),
        f.number("tls_verify_depth"),
        caCertificates,
        f.string("ws_id"),
        f.number("created_at"),
        f.number("updated_at"),
        f.all()));
  }

  static Optional<Consumer> consumer(String method, Object value) {
    if (value == null) {
      return Optional.empty();
    }
    Fields f = new Fields(method, value);
    return Optional.of(new Consumer(
        f.id(),
        f.string("username"),
        f.string("custom_id"),
        f.strings("tags"),
        f.number("created_at"),
        f.number("updated_at"),
        f.all()));
  }

  static Optional<Credential> credential(String method, Object value) {
    if (value == null) {
      return Optional.empty();
    }
    Fields f = new Fields(method, value);
    Optional<String> consumerId = f.string("consumer_id");
    if (consumerId.isEmpty()) {
      consumerId = Values.optionalString(method, Values.map(method, f.raw("consumer")).get("id"));
    }
    return Optional.of(new Credential(f.id(), consumerId, f.all()));
  }

  static MemoryStats memoryStats(String method, Object value) {
    if (value == null) {
      throw Values.nothing(method, "memory statistics");
    }
    Fields f = new Fields(method, value);
    Map<String, MemoryStats.SharedDict> dicts = new LinkedHashMap<>();
    Values.map(method, f.raw("lua_shared_dicts")).forEach((name, dict) -> {
      Fields d = new Fields(method, dict);
      dicts.put(name, new MemoryStats.SharedDict(
          d.number("allocated_slabs").orElse(0), d.number("capacity").orElse(0)));
    });
    List<MemoryStats.WorkerVm> workers = new ArrayList<>();
    for (Object worker : Values.list(method, f.raw("workers_lua_vms"))) {
      Fields w = new Fields(method, worker);
      workers.add(new MemoryStats.WorkerVm(
          w.number("pid").orElse(0), w.number("http_allocated_gc").orElse(0), w.string("err")));
    }
    return new MemoryStats(dicts, workers);
  }

  static UriCaptures uriCaptures(String method, Object value) {
    Fields f = new Fields(method, value);
    // "unnamed" has the keys 0..n, so Kong sends it as a map with integer keys, not as an array.
    Map<Integer, String> byIndex = new TreeMap<>();
    Object unnamed = f.raw("unnamed");
    if (unnamed instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        byIndex.put(i, Values.optionalString(method, list.get(i)).orElse(""));
      }
    } else {
      Values.map(method, unnamed).forEach((key, capture) -> {
        try {
          byIndex.put(Integer.valueOf(key), Values.optionalString(method, capture).orElse(""));
        } catch (NumberFormatException e) {
          throw Values.unexpected(method, "capture indexes", key);
        }
      });
    }
    Map<String, String> named = new LinkedHashMap<>();
    Values.map(method, f.raw("named")).forEach(
        (name, capture) -> named.put(name, Values.optionalString(method, capture).orElse("")));
    return new UriCaptures(new ArrayList<>(byIndex.values()), named);
  }

  static NginxStatistics nginxStatistics(String method, Object value) {
    if (value == null) {
      throw Values.nothing(method, "statistics");
    }
    Fields f = new Fields(method, value);
    return new NginxStatistics(
        f.number("connections_active").orElse(0),
        f.number("connections_reading").orElse(0),
        f.number("connections_writing").orElse(0),
        f.number("connections_waiting").orElse(0),
        f.number("connections_accepted").orElse(0),
        f.number("connections_handled").orElse(0),
        f.number("total_requests").orElse(0));
  }

  static Optional<VaultReference> vaultReference(String method, Object value) {
    if (value == null) {
      return Optional.empty();
    }
    Fields f = new Fields(method, value);
    return Optional.of(new VaultReference(
        f.string("name").orElse(""),
        f.string("resource"),
        f.string("key"),
        f.number("version"),
        Values.map(method, f.raw("config"))));
  }

  /** Typed reads of one entity table. */
  private static final class Fields {
    private final String method;
    private final Map<String, Object> fields;

    Fields(String method, Object value) {
      this.method = method;
      this.fields = Values.map(method, value);
    }

    Object raw(String name) {
      return fields.get(name);
    }

    Map<String, Object> all() {
      return fields;
    }

    String id() {
      return string("id").orElse("");
    }

    Optional<String> string(String name) {
      return field(name, () -> Values.optionalString(method, fields.get(name)));
    }

    OptionalLong number(String name) {
      return field(name, () -> Values.optionalLong(method, fields.get(name)));
    }

    boolean bool(String name, boolean byDefault) {
      return field(name, () -> Values.optionalBoolean(method, fields.get(name))).orElse(byDefault);
    }

    List<String> strings(String name) {
      Object value = fields.get(name);
      return field(name, () -> value instanceof Map<?, ?> map && map.isEmpty()
          ? List.of()
          : Values.stringList(method, Values.list(method, value)));
    }

    /** Reads one field, naming it when Kong sent a value of the wrong type. */
    private <T> T field(String name, Supplier<T> read) {
      try {
        return read.get();
      } catch (PdkException e) {
        String reason = e.getMessage().substring(method.length() + 2);
        throw new PdkException(method, "field '" + name + "': " + reason, e);
      }
    }
  }
}
