package dev.kongpdk.bridge.internal.pb;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The PDK functions reachable over ProtoBuf, read from the {@code service Kong} of the project's
 * {@code kong_plugin_protocol.proto} with the naming rule of Kong's {@code pb_rpc.lua}: the
 * {@code MethodName} option when present, else {@code "Kong." + rpc} with {@code _} turned into
 * {@code .}, {@code _} inserted before each capital that follows a small letter (and digits), and
 * everything lower-cased ({@code Request_GetHeader} is {@code kong.request.get_header}).
 */
public final class PbMethods {

  private static final Pattern WORD_BOUNDARY = Pattern.compile("([a-z]\\d*)([A-Z])");

  private static final PbMethods KONG = new PbMethods(ProtoSchema.kong().rpcs());

  private final Map<String, PbMethod> byLuaName;

  private PbMethods(List<ProtoSchema.Rpc> rpcs) {
    Map<String, PbMethod> methods = new TreeMap<>();
    for (ProtoSchema.Rpc rpc : rpcs) {
      String luaName = luaName("Kong", rpc);
      methods.put(luaName, new PbMethod(luaName, rpc.name(), rpc.input(), rpc.output()));
    }
    this.byLuaName = Collections.unmodifiableMap(methods);
  }

  /** Returns the functions of Kong's proto. */
  public static PbMethods kong() {
    return KONG;
  }

  /** Returns the function with this Lua name, when Kong exposes it over ProtoBuf. */
  public Optional<PbMethod> find(String luaName) {
    return Optional.ofNullable(byLuaName.get(luaName));
  }

  /** Returns every function, sorted by Lua name. */
  public Collection<PbMethod> all() {
    return byLuaName.values();
  }

  static String luaName(String serviceName, ProtoSchema.Rpc rpc) {
    if (!rpc.methodName().isEmpty()) {
      return rpc.methodName();
    }
    String dotted = (serviceName + "." + rpc.name()).replace('_', '.');
    return WORD_BOUNDARY.matcher(dotted).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
  }
}
