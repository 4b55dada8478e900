package dev.kongpdk.bridge.internal.event;

import dev.kongpdk.Bridge;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Saves round trips within one event: once {@code kong.request.get_headers} has been answered,
 * {@code kong.request.get_header(name)} is answered from that result instead of asking Kong again.
 *
 * <p>Kong reads request headers live ({@code get_header} searches nginx's current request
 * headers, which {@code kong.service.request.set_header} and friends change), so any call that
 * may change the request's headers drops the saved copy: every call except those of the read-only
 * namespaces below. A header missing from a result that Kong may have truncated (it returns at
 * most {@code max_headers}, 100 by default) is still asked of Kong. The copy lives as long as this
 * object, which serves one event: headers changed by other plugins between events are always seen.
 */
public final class RequestHeaderCache implements Bridge {

  static final String GET_HEADERS = "kong.request.get_headers";
  static final String GET_HEADER = "kong.request.get_header";
  /** Kong's default {@code max_headers} for {@code get_headers} and {@code get_header}. */
  static final int KONG_DEFAULT_MAX_HEADERS = 100;

  /** Namespaces whose functions never change the request's headers. */
  private static final List<String> READ_ONLY = List.of(
      "kong.request.", "kong.response.", "kong.log.", "kong.ctx.", "kong.client.",
      "kong.router.", "kong.node.", "kong.ip.", "kong.service.response.");

  private final Bridge kong;
  /** Normalised header name to Kong's value(s); null when nothing is saved. */
  private Map<String, Object> headers;
  /** Whether {@link #headers} holds every header, so that a missing one is known absent. */
  private boolean complete;

  public RequestHeaderCache(Bridge kong) {
    this.kong = kong;
  }

  @Override
  public Object call(String method, Object... args) {
    if (headers != null && GET_HEADER.equals(method) && args.length == 1
        && args[0] instanceof String name) {
      Object values = headers.get(normalise(name));
      if (values != null) {
        return first(values);
      }
      if (complete) {
        return null; // what Kong answers for a header the request does not have
      }
    }
    Object result = kong.call(method, args);
    if (GET_HEADERS.equals(method)) {
      save(result, args);
    } else if (!readOnly(method)) {
      headers = null;
    }
    return result;
  }

  private void save(Object result, Object[] args) {
    if (!(result instanceof Map<?, ?> map)) {
      headers = null;
      return;
    }
    long max = args.length > 0 && args[0] instanceof Number n ? n.longValue() : KONG_DEFAULT_MAX_HEADERS;
    Map<String, Object> saved = new HashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      saved.putIfAbsent(normalise(String.valueOf(e.getKey())), e.getValue());
    }
    headers = saved;
    complete = saved.size() < Math.min(max, KONG_DEFAULT_MAX_HEADERS);
  }

  /** Kong's first value of a header: a string, or the first of a list. */
  private static Object first(Object values) {
    if (values instanceof List<?> list) {
      return list.isEmpty() ? null : list.get(0);
    }
    return values;
  }

  /** Header names match case-insensitively, with {@code _} and {@code -} alike, as in nginx. */
  private static String normalise(String name) {
    return name.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static boolean readOnly(String method) {
    for (String prefix : READ_ONLY) {
      if (method.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
