package dev.kongpdk.testkit.internal;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Query strings and form bodies as nginx's {@code ngx.req.get_uri_args} reads them: each name maps
 * to its values in order, where a name without {@code =} is the flag {@code true}.
 */
public final class FormArgs {

  private FormArgs() {}

  /**
   * Parses {@code a=1&a=2&flag&empty=} into {@code {a:["1","2"], flag:[true], empty:[""]}}.
   *
   * @param raw the raw text, without {@code ?}
   * @param maxArgs the most arguments read, as Kong's {@code max_args}
   * @return names mapped to values (String or Boolean.TRUE)
   */
  public static Map<String, List<Object>> parse(String raw, int maxArgs) {
    Map<String, List<Object>> args = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return args;
    }
    int count = 0;
    for (String part : raw.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      if (count++ == maxArgs) {
        break;
      }
      int eq = part.indexOf('=');
      String name = decode(eq < 0 ? part : part.substring(0, eq));
      if (name.isEmpty()) {
        continue;
      }
      Object value = eq < 0 ? Boolean.TRUE : decode(part.substring(eq + 1));
      args.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return args;
  }

  /**
   * Encodes a Lua args table ({@code name -> string | true | array}) as Kong's {@code
   * set_query}/{@code set_body} do: names sorted, arrays repeated, {@code true} as a bare name.
   *
   * @param args the table
   * @return the encoded text
   */
  public static String encode(Map<String, Object> args) {
    List<String> parts = new ArrayList<>();
    args.keySet().stream().sorted().forEach(name -> {
      Object value = args.get(name);
      List<?> values = value instanceof List<?> l ? l : List.of(value);
      for (Object v : values) {
        if (Boolean.TRUE.equals(v)) {
          parts.add(encodePart(name));
        } else if (!Boolean.FALSE.equals(v)) {
          parts.add(encodePart(name) + "=" + encodePart(WireValues.luaText(v)));
        }
      }
    });
    return String.join("&", parts);
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text; // nginx keeps a malformed escape as it is
    }
  }

  private static String encodePart(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
