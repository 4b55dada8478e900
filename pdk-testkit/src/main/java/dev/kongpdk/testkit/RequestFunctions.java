package dev.kongpdk.testkit;

import dev.kongpdk.testkit.internal.FormArgs;
import dev.kongpdk.testkit.internal.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code kong.request.*} as FakeKong answers it. */
final class RequestFunctions {

  private RequestFunctions() {}

  static void register(FakeKong k) {
    k.fn("kong.request.get_scheme", PhaseSets.REQ, a -> k.request.scheme());
    k.fn("kong.request.get_host", PhaseSets.REQ, a -> k.request.host());
    k.fn("kong.request.get_port", PhaseSets.NOT_IN_LOG_TIMER, a -> (long) k.request.port());
    k.fn("kong.request.get_forwarded_scheme", PhaseSets.REQ, a -> k.forwarded("x-forwarded-proto", k.request.scheme()).toLowerCase(Locale.ROOT));
    k.fn("kong.request.get_forwarded_host", PhaseSets.REQ, a -> k.forwarded("x-forwarded-host", k.request.host()).split(":")[0].toLowerCase(Locale.ROOT));
    k.fn("kong.request.get_forwarded_port", PhaseSets.REQ, a -> {
      String port = k.forwarded("x-forwarded-port", Integer.toString(k.request.port()));
      try {
        return Long.parseLong(port.trim());
      } catch (NumberFormatException e) {
        return (long) k.request.port();
      }
    });
    k.fn("kong.request.get_forwarded_path", PhaseSets.REQ, a -> k.forwarded("x-forwarded-path", k.request.rawPath()));
    // Kong's router sets the prefix it stripped (access on; "" before, in rewrite).
    k.fn("kong.request.get_forwarded_prefix", PhaseSets.REQ, a -> {
      if (k.clientTrusted() && k.request.headers().contains("x-forwarded-prefix")) {
        return k.request.headers().first("x-forwarded-prefix").orElse(null);
      }
      return k.phase() == dev.kongpdk.plugin.Phase.REWRITE ? "" : k.strippedPrefix();
    });
    k.fn("kong.request.get_http_version", PhaseSets.REQ, a -> k.request.httpVersion());
    k.fn("kong.request.get_method", PhaseSets.REQ, a -> k.request.method());
    k.fn("kong.request.get_path", PhaseSets.REQ, a -> Paths.normalize(k.request.rawPath()));
    k.fn("kong.request.get_raw_path", PhaseSets.REQ, a -> k.request.rawPath());
    k.fn("kong.request.get_path_with_query", PhaseSets.REQ, a -> Paths.normalize(k.request.rawPath())
        + (k.request.rawQuery().isEmpty() ? "" : "?" + k.request.rawQuery()));
    k.fn("kong.request.get_raw_query", PhaseSets.REQ, a -> k.request.rawQuery());
    k.fn("kong.request.get_query_arg", PhaseSets.REQ, a -> {
      List<Object> values = FormArgs.parse(k.request.rawQuery(), 100).get(a.string(0, "name"));
      return values == null ? null : values.get(0);
    });
    k.fn("kong.request.get_query", PhaseSets.REQ, a -> FormArgs.parse(k.request.rawQuery(), FakeKong.limit("max_args", a.optLong(0))));
    k.fn("kong.request.get_header", PhaseSets.REQ_SAVED, a -> k.request.headers().first(FakeKong.headerGetName(a.string(0, "header name"))).orElse(null));
    k.fn("kong.request.get_headers", PhaseSets.REQ_SAVED, a -> k.headerMultimap(k.request.headers(), a.optLong(0)));
    k.fn("kong.request.get_raw_body", PhaseSets.REQ, a -> k.request.body());
    k.fn("kong.request.get_body", PhaseSets.REQ, a -> k.decodeBody(k.request.body(), k.request.headers(),
        a.opt(0) == null ? null : a.string(0, "mimetype"), a.optLong(1)));
    k.fn("kong.request.get_start_time", PhaseSets.REQ_SAVED, a -> k.settings.startTimeMillis);
    k.fn("kong.request.get_uri_captures", PhaseSets.REQ_SAVED, a -> {
      Map<String, Object> unnamed = new LinkedHashMap<>();
      List<String> captures = k.request.unnamedCaptures();
      for (int i = 0; i < captures.size(); i++) {
        unnamed.put(Integer.toString(i), captures.get(i)); // Kong sends a map keyed 0..n
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("unnamed", unnamed);
      result.put("named", new LinkedHashMap<>(k.request.namedCaptures()));
      return result;
    });
  }
}
