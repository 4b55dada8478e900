package dev.kongpdk.bridge.internal.pb;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket;
import java.util.Collection;
import java.util.Collections;
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

  private static final PbMethods KONG = new PbMethods(
      PluginSocket.getDescriptor().findServiceByName("Kong"));

  private final Map<String, PbMethod> byLuaName;

  private PbMethods(ServiceDescriptor service) {
    Map<String, PbMethod> methods = new TreeMap<>();
    for (MethodDescriptor method : service.getMethods()) {
      String luaName = luaName(service.getName(), method);
      methods.put(luaName,
          new PbMethod(luaName, method.getName(), method.getInputType(), method.getOutputType()));
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

  static String luaName(String serviceName, MethodDescriptor method) {
    String explicit = method.getOptions().getExtension(PluginSocket.methodName);
    if (!explicit.isEmpty()) {
      return explicit;
    }
    String dotted = (serviceName + "." + method.getName()).replace('_', '.');
    return WORD_BOUNDARY.matcher(dotted).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
  }
}
