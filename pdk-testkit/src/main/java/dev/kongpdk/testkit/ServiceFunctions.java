package dev.kongpdk.testkit;

import dev.kongpdk.testkit.internal.FormArgs;
import dev.kongpdk.testkit.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code kong.service.*} and {@code kong.service.request.*} as FakeKong answers them. */
final class ServiceFunctions {

  private static final Set<String> METHODS = Set.of(
      "GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS", "MKCOL", "COPY", "MOVE", "PROPFIND",
      "PROPPATCH", "LOCK", "UNLOCK", "PATCH", "TRACE", "CONNECT");

  private ServiceFunctions() {}

  static void register(FakeKong k) {
    k.fn("kong.service.set_upstream", PhaseSets.ONLY_ACCESS, a -> {
      String host = a.string(0, "host");
      if (!k.settings.upstreams.contains(host)) {
        return null; // nil, "could not find an Upstream named '...'" (the error is dropped by Kong 3.x)
      }
      k.upstreamName = host;
      return true;
    });
    k.fn("kong.service.set_target", PhaseSets.TGT, a -> {
      String host = a.string(0, "host");
      long port = a.number(1, "port").longValue();
      if (port < 0 || port > 65535) {
        throw new LuaError(a.method, "port must be an integer between 0 and 65535: given " + port);
      }
      k.upHost = host;
      k.upPort = (int) port;
      return null;
    });
    k.fn("kong.service.set_retries", PhaseSets.ONLY_ACCESS, a -> {
      long n = a.number(0, "retries").longValue();
      if (n < 0 || n > 32767) {
        throw new LuaError(a.method, "retries must be an integer between 0 and 32767: given " + n);
      }
      k.retries = (int) n;
      return null;
    });
    k.fn("kong.service.set_timeouts", PhaseSets.ONLY_ACCESS, a -> {
      long[] t = new long[3];
      String[] names = {"connect_timeout", "write_timeout", "read_timeout"};
      for (int i = 0; i < 3; i++) {
        t[i] = a.number(i, names[i]).longValue();
        if (t[i] < 1 || t[i] > 2147483646L) {
          throw new LuaError(a.method, names[i] + " must be an integer between 1 and 2147483646: given " + t[i]);
        }
      }
      k.timeouts = new UpstreamRequest.Timeouts(t[0], t[1], t[2]);
      return null;
    });
    k.fn("kong.service.set_tls_verify", PhaseSets.TGT, a -> true);
    k.fn("kong.service.set_tls_verify_depth", PhaseSets.TGT, a -> true);
    k.fn("kong.service.request.enable_buffering", PhaseSets.RA, a -> null);
    k.fn("kong.service.request.set_scheme", PhaseSets.RA, a -> {
      String scheme = a.string(0, "scheme");
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new LuaError(a.method, "invalid scheme: " + scheme);
      }
      k.upScheme = scheme;
      return null;
    });
    k.fn("kong.service.request.set_path", PhaseSets.RA, a -> {
      String path = a.string(0, "path");
      if (!path.startsWith("/")) {
        throw new LuaError(a.method, "path must start with /");
      }
      k.upPath = path;
      return null;
    });
    k.fn("kong.service.request.set_raw_query", PhaseSets.RA, a -> {
      k.upQuery = a.string(0, "query");
      return null;
    });
    k.fn("kong.service.request.set_method", PhaseSets.RA, a -> {
      String method = a.string(0, "method");
      if (!METHODS.contains(method)) {
        throw new LuaError(a.method, "invalid method: " + method);
      }
      k.upMethod = method;
      return null;
    });
    k.fn("kong.service.request.set_query", PhaseSets.RA, a -> {
      k.upQuery = FormArgs.encode(a.table(0, "args"));
      return null;
    });
    k.fn("kong.service.request.clear_query_arg", PhaseSets.RA, a -> {
      String name = a.string(0, "name");
      Map<String, Object> args = new LinkedHashMap<>();
      FormArgs.parse(k.upQuery, 1000).forEach((arg, values) -> {
        if (!arg.equals(name)) {
          args.put(arg, values);
        }
      });
      k.upQuery = FormArgs.encode(args);
      return null;
    });
    k.fn("kong.service.request.set_header", PhaseSets.RA, a -> {
      String name = a.string(0, "header name");
      k.upHeaders = k.upHeaders.replacing(name, List.of(FakeKong.headerValue(name, a.opt(1))));
      return null;
    });
    k.fn("kong.service.request.add_header", PhaseSets.RA, a -> {
      String name = a.string(0, "header name");
      for (String v : FakeKong.headerValues(name, a.opt(1))) {
        k.upHeaders = k.upHeaders.with(name, v);
      }
      return null;
    });
    k.fn("kong.service.request.clear_header", PhaseSets.RA, a -> {
      k.upHeaders = k.upHeaders.without(a.string(0, "header name"));
      return null;
    });
    k.fn("kong.service.request.set_headers", PhaseSets.RA, a -> {
      a.table(0, "headers").forEach((name, value) -> k.upHeaders = k.upHeaders.replacing(name, FakeKong.headerValues(name, value)));
      return null;
    });
    k.fn("kong.service.request.set_raw_body", PhaseSets.RA, a -> {
      Object body = a.opt(0);
      if (body instanceof String s) {
        k.upBody = s.getBytes(StandardCharsets.UTF_8);
      } else if (body instanceof byte[] b) {
        k.upBody = b.clone();
      } else {
        throw new LuaError(a.method, "body must be a string");
      }
      k.upHeaders = k.upHeaders.replacing("content-length", List.of(Integer.toString(k.upBody.length)));
      return null;
    });
    k.fn("kong.service.request.set_body", PhaseSets.RA, a -> {
      Map<String, Object> args = a.table(0, "args");
      String type = a.opt(1) != null ? a.string(1, "mimetype") : k.upHeaders.first("content-type").orElse(null);
      if (type == null) {
        return null; // nil, "content type was neither explicitly provided nor received"
      }
      String lower = type.toLowerCase(Locale.ROOT);
      if (lower.contains("json")) {
        k.upBody = Json.encode(args).getBytes(StandardCharsets.UTF_8);
      } else if (lower.contains("application/x-www-form-urlencoded")) {
        k.upBody = FormArgs.encode(args).getBytes(StandardCharsets.UTF_8);
      } else {
        return null; // multipart and other types are not simulated: nil, as on an unsupported type
      }
      k.upHeaders = k.upHeaders.replacing("content-type", List.of(type))
          .replacing("content-length", List.of(Integer.toString(k.upBody.length)));
      return true;
    });
    k.fn("kong.service.request.disable_tls", PhaseSets.ONLY_PREREAD, a -> true);
    k.fn("kong.service.request.enable_tls", PhaseSets.ONLY_PREREAD, a -> true);
  }
}
