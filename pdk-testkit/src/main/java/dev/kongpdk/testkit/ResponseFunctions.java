package dev.kongpdk.testkit;

import dev.kongpdk.testkit.internal.ErrorPages;
import dev.kongpdk.testkit.internal.Json;
import dev.kongpdk.testkit.internal.WireValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code kong.response.*} and {@code kong.service.response.*} as FakeKong answers them. */
final class ResponseFunctions {

  private ResponseFunctions() {}

  static void register(FakeKong k) {
    k.fn("kong.response.get_status", PhaseSets.R_READ, a -> (long) k.clientResponse().status());
    k.fn("kong.response.get_header", PhaseSets.R_READ, a -> k.responseHeaders.first(FakeKong.headerGetName(a.string(0, "header name"))).orElse(null));
    k.fn("kong.response.get_headers", PhaseSets.R_READ, a -> k.headerMultimap(k.responseHeaders, a.optLong(0)));
    k.fn("kong.response.get_source", PhaseSets.R_READ, a -> k.clientResponse().source());
    k.fn("kong.response.set_status", PhaseSets.R_WRITE, a -> {
      long status = a.number(0, "code").longValue();
      if (status < 100 || status > 599) {
        throw new LuaError(a.method, "code must be a number between 100 and 599");
      }
      k.responseStatus = (int) status; // the upstream's status replaces it when the request is proxied later
      return null;
    });
    k.fn("kong.response.set_header", PhaseSets.R_WRITE, a -> {
      String name = a.string(0, "header name");
      List<String> values = FakeKong.headerValues(name, a.opt(1));
      if (FakeKong.isTransferEncoding(name)) {
        k.warnTransferEncoding();
      } else {
        k.setResponseHeader(name, values);
      }
      return null;
    });
    k.fn("kong.response.add_header", PhaseSets.R_WRITE, a -> {
      String name = a.string(0, "header name");
      List<String> values = new ArrayList<>(k.responseHeaders.all(name));
      values.addAll(FakeKong.headerValues(name, a.opt(1)));
      k.setResponseHeader(name, values);
      return null;
    });
    k.fn("kong.response.clear_header", PhaseSets.R_WRITE, a -> {
      k.setResponseHeader(a.string(0, "header name"), List.of());
      return null;
    });
    k.fn("kong.response.set_headers", PhaseSets.R_WRITE, a -> {
      a.table(0, "headers").forEach((name, value) -> {
        List<String> values = FakeKong.headerValues(name, value);
        if (FakeKong.isTransferEncoding(name)) {
          k.warnTransferEncoding();
        } else {
          k.setResponseHeader(name, values);
        }
      });
      return null;
    });
    k.fn("kong.response.get_raw_body", PhaseSets.BODY_FILTER_ONLY, a -> null);
    k.fn("kong.response.set_raw_body", PhaseSets.BODY_FILTER_ONLY, a -> null);
    k.fn("kong.response.exit", PhaseSets.EXIT, a -> {
      long status = a.number(0, "code").longValue();
      if (status < 100 || status > 599) {
        throw new LuaError(a.method, "code must be a number between 100 and 599");
      }
      Object body = a.opt(1);
      if (body != null && !(body instanceof String || body instanceof byte[] || body instanceof Map || body instanceof List)) {
        throw new LuaError(a.method, "body must be a nil, string or table");
      }
      k.exit(status, body, a.opt(2) == null ? Map.of() : a.table(2, "headers"));
      return null;
    });
    k.fn("kong.response.error", PhaseSets.R_WRITE, a -> {
      long status = a.number(0, "code").longValue();
      if (status < 400 || status > 599) {
        throw new LuaError(a.method, "code must be a number between 400 and 599");
      }
      Object message = a.opt(1);
      if (message != null && !(message instanceof String || message instanceof byte[] || message instanceof Map || message instanceof List)) {
        throw new LuaError(a.method, "message must be a nil, a string or a table");
      }
      String text = message == null ? ErrorPages.defaultMessage(status)
          : message instanceof Map<?, ?> || message instanceof List<?> ? Json.encode(message) : WireValues.luaText(message);
      Map<String, Object> headers = new LinkedHashMap<>(a.opt(2) == null ? Map.of() : a.table(2, "headers"));
      String[] typeAndBody = k.errorBody(text, headers);
      headers.keySet().removeIf(header -> header.equalsIgnoreCase("content-type"));
      headers.put("Content-Type", typeAndBody[0]);
      k.exit(status, typeAndBody[1], headers);
      return null;
    });
    k.fn("kong.service.response.get_status", PhaseSets.R_READ, a -> k.upstreamResponse == null ? null : (long) k.upstreamResponse.statusCode());
    // Kong 3.9.3 and 2.8.5 answer an empty table here in the response phase although the upstream
    // sent headers (recorded traces, fact 11), and in the log phase too (conformance suite);
    // get_header still reads them. The three readers work in the log phase of Kong 3.x.
    k.fn("kong.service.response.get_headers", PhaseSets.R_READ, a -> {
      FakeKong.limit("max_headers", a.optLong(0));
      return Map.of();
    });
    k.fn("kong.service.response.get_header", PhaseSets.R_READ, a -> k.upstreamResponse == null ? null
        : k.upstreamResponse.headers().first(a.string(0, "header name")).orElse(null));
    k.fn("kong.service.response.get_raw_body", PhaseSets.ONLY_RESPONSE, a -> k.upstreamResponse == null ? null : k.upstreamResponse.bodyBytes());
    k.fn("kong.service.response.get_body", PhaseSets.ONLY_RESPONSE, a -> k.upstreamResponse == null ? null
        : k.decodeBody(k.upstreamResponse.bodyBytes(), k.upstreamResponse.headers(), a.opt(0) == null ? null : a.string(0, "mimetype"), a.optLong(1)));
  }
}
