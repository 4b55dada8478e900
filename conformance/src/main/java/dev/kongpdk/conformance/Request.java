package dev.kongpdk.conformance;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A request the driver sends through Kong. The route is {@code /c} (stripped), so the upstream
 * sees {@link #path}.
 *
 * @param method the HTTP method
 * @param path the path and query below the route, for example {@code /p/q?a=1}
 * @param headers header lines in order (a name may repeat)
 * @param body the body, empty for none
 */
public record Request(String method, String path, List<Map.Entry<String, String>> headers, byte[] body) {

  /** The query every GET row sends: a repeated argument, a flag and an empty value. */
  public static final String QUERY = "a=1&a=2&flag&empty=";

  /** {@code GET /c/p/q?a=1&a=2&flag&empty=} with a repeated header {@code x-multi: one, two}. */
  public static final Request GET = new Request("GET", "/p/q?" + QUERY,
      List.of(Map.entry("x-multi", "one"), Map.entry("x-multi", "two"), Map.entry("x-single", "s")),
      new byte[0]);

  /** The JSON body {@link #JSON} sends. */
  public static final String JSON_BODY = "{\"k\":\"v\",\"n\":1,\"arr\":[1,2]}";

  /** {@code POST /c/p} with a JSON body. */
  public static final Request JSON = new Request("POST", "/p",
      List.of(Map.entry("content-type", "application/json")), JSON_BODY.getBytes(StandardCharsets.UTF_8));

  /** The form body {@link #FORM} sends. */
  public static final String FORM_BODY = "a=1&a=2&b=x";

  /** {@code POST /c/p} with a form body. */
  public static final Request FORM = new Request("POST", "/p",
      List.of(Map.entry("content-type", "application/x-www-form-urlencoded")),
      FORM_BODY.getBytes(StandardCharsets.UTF_8));

  /** The bytes {@link #BINARY} sends: not valid UTF-8. */
  public static final byte[] BINARY_BODY = {0, (byte) 0xff, (byte) 0xcf, (byte) 0x80, 'b', 'i', 'n'};

  /** {@code POST /c/p} with a binary body. */
  public static final Request BINARY = new Request("POST", "/p",
      List.of(Map.entry("content-type", "application/octet-stream")), BINARY_BODY);
}
