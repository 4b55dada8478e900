package dev.kongpdk.bridge.internal.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kongpdk.Bridge;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestHeaderCacheTest {

  /** Answers like Kong from a header table and records every call that reached it. */
  private static final class FakeKong implements Bridge {
    final Map<String, Object> headers = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();

    @Override
    public Object call(String method, Object... args) {
      calls.add(method + Arrays.toString(args));
      switch (method) {
        case "kong.request.get_headers" -> {
          return new LinkedHashMap<>(headers);
        }
        case "kong.request.get_header" -> {
          Object v = headers.get(((String) args[0]).toLowerCase().replace('_', '-'));
          return v instanceof List<?> l ? l.get(0) : v;
        }
        case "kong.service.request.set_header" -> {
          headers.put(((String) args[0]).toLowerCase(), List.of((String) args[1]));
          return null;
        }
        default -> {
          return null;
        }
      }
    }
  }

  private final FakeKong kong = new FakeKong();
  private final RequestHeaderCache bridge = new RequestHeaderCache(kong);

  @Test
  void getHeaderAfterGetHeadersIsAnsweredWithoutAskingKong() {
    kong.headers.put("host", List.of("example.com"));
    kong.headers.put("x-multi", List.of("one", "two"));
    bridge.call("kong.request.get_headers");

    assertEquals("example.com", bridge.call("kong.request.get_header", "Host"));
    assertEquals("one", bridge.call("kong.request.get_header", "X_Multi"));
    assertNull(bridge.call("kong.request.get_header", "x-absent"));
    assertEquals(List.of("kong.request.get_headers[]"), kong.calls);
  }

  @Test
  void getHeaderBeforeGetHeadersAsksKong() {
    kong.headers.put("host", "example.com");

    assertEquals("example.com", bridge.call("kong.request.get_header", "host"));
    assertEquals(List.of("kong.request.get_header[host]"), kong.calls);
  }

  @Test
  void changingTheServiceRequestHeadersDropsTheSavedHeaders() {
    kong.headers.put("x-user", List.of("alice"));
    bridge.call("kong.request.get_headers");
    bridge.call("kong.service.request.set_header", "x-user", "bob");

    assertEquals("bob", bridge.call("kong.request.get_header", "x-user"));
    assertEquals("kong.request.get_header[x-user]", kong.calls.getLast());
  }

  @Test
  void readOnlyCallsKeepTheSavedHeaders() {
    kong.headers.put("host", List.of("example.com"));
    bridge.call("kong.request.get_headers");
    bridge.call("kong.log.notice", "hi");
    bridge.call("kong.response.set_header", "x-out", "1");

    assertEquals("example.com", bridge.call("kong.request.get_header", "host"));
    assertEquals(3, kong.calls.size());
  }

  @Test
  void aHeaderMissingFromAPossiblyTruncatedResultIsAskedOfKong() {
    for (int i = 0; i < RequestHeaderCache.KONG_DEFAULT_MAX_HEADERS; i++) {
      kong.headers.put("x-h" + i, List.of("v"));
    }
    bridge.call("kong.request.get_headers");
    kong.headers.put("x-late", List.of("there"));

    assertEquals("there", bridge.call("kong.request.get_header", "x-late"));
    assertEquals("kong.request.get_header[x-late]", kong.calls.getLast());
  }

  @Test
  void getHeadersWithASmallMaxOnlyAnswersHeadersItReturned() {
    kong.headers.put("a", List.of("1"));
    kong.headers.put("b", List.of("2"));
    bridge.call("kong.request.get_headers", 2L);

    assertEquals("1", bridge.call("kong.request.get_header", "a"));
    assertNull(bridge.call("kong.request.get_header", "c"));
    assertEquals("kong.request.get_header[c]", kong.calls.getLast());
  }
}
