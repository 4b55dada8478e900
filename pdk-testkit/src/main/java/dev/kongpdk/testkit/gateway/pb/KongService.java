package dev.kongpdk.testkit.gateway.pb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PDK functions Kong serves over ProtoBuf, read as Kong reads them: from the {@code service
 * Kong} of the proto (the one the plugin server ships), naming each rpc by its {@code MethodName}
 * option or by Kong's rule ({@code Request_GetHeader} is {@code kong.request.get_header}).
 */
final class KongService {

  /** One function: its argument and result message names (without package). */
  record Method(String luaName, String rpc, String input, String output) {}

  private static final String PROTO = "/dev/kongpdk/bridge/protobuf/kong_plugin_protocol.proto";
  private static final Pattern RPC = Pattern.compile(
      "rpc\\s+(\\w+)\\s*\\(\\s*([\\w.]+)\\s*\\)\\s*returns\\s*\\(\\s*([\\w.]+)\\s*\\)"
          + "\\s*(?:\\{\\s*option\\s*\\(MethodName\\)\\s*=\\s*\"([^\"]+)\"\\s*;\\s*\\})?");
  private static final Pattern WORD_BOUNDARY = Pattern.compile("([a-z]\\d*)([A-Z])");

  private final Map<String, Method> methods;

  private KongService(Map<String, Method> methods) {
    this.methods = methods;
  }

  static KongService load() {
    try (InputStream in = KongService.class.getResourceAsStream(PROTO)) {
      if (in == null) {
        throw new IllegalStateException(PROTO + " is not on the class path (it ships in pdk-bridge)");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static KongService parse(String proto) {
    Map<String, Method> methods = new TreeMap<>();
    Matcher m = RPC.matcher(proto);
    while (m.find()) {
      String lua = m.group(4) != null ? m.group(4)
          : WORD_BOUNDARY.matcher(("Kong." + m.group(1)).replace('_', '.'))
              .replaceAll("$1_$2").toLowerCase(Locale.ROOT);
      methods.put(lua, new Method(lua, m.group(1), simple(m.group(2)), simple(m.group(3))));
    }
    return new KongService(Collections.unmodifiableMap(methods));
  }

  private static String simple(String type) {
    return type.substring(type.lastIndexOf('.') + 1);
  }

  Optional<Method> find(String luaName) {
    return Optional.ofNullable(methods.get(luaName));
  }

  Map<String, Method> all() {
    return methods;
  }
}
