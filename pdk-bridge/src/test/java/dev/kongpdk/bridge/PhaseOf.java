package dev.kongpdk.bridge;

import dev.kongpdk.Kong;
import dev.kongpdk.LuaFunction;
import dev.kongpdk.plugin.AccessPhase;
import dev.kongpdk.plugin.LogPhase;
import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.ResponsePhase;
import dev.kongpdk.plugin.RewritePhase;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * For wire tests that call every PDK function: a phase in which the typed API lets the function
 * through (access when it may, else response, log or rewrite, per its {@link LuaFunction}), and a
 * plugin that runs the same code in any of them. The config {@link #KONG_3} makes the plugin
 * server see Kong 3.x, so no function is refused for the version.
 */
final class PhaseOf {

  /** A StartInstance config as Kong 3.x sends it (with the plugin id). */
  static final String KONG_3 = "{\"__plugin_id\":\"00000000-0000-4000-8000-000000000001\"}";

  private static final List<Phase> PREFERRED = List.of(Phase.ACCESS, Phase.RESPONSE, Phase.LOG, Phase.REWRITE);

  private PhaseOf() {}

  /** Returns the phase to call {@code luaName} in. */
  static Phase of(String luaName) {
    LuaFunction lua = find(Kong.class, luaName);
    if (lua == null || lua.phases().length == 0) {
      return Phase.ACCESS;
    }
    List<Phase> allowed = Arrays.asList(lua.phases());
    return PREFERRED.stream().filter(allowed::contains).findFirst().orElse(Phase.ACCESS);
  }

  private static LuaFunction find(Class<?> module, String luaName) {
    for (Method m : module.getMethods()) {
      Class<?> type = m.getReturnType();
      if (m.getParameterCount() == 0 && type.isInterface() && type.getPackageName().equals("dev.kongpdk")) {
        LuaFunction inner = find(type, luaName);
        if (inner != null) {
          return inner;
        }
      }
      LuaFunction lua = m.getAnnotation(LuaFunction.class);
      if (lua != null && lua.value().equals(luaName)) {
        return lua;
      }
    }
    return null;
  }

  /** A descriptor whose plugin runs {@code body} in rewrite, access, response and log. */
  static TestDescriptor anyPhase(String name, Consumer<Kong> body) {
    return new TestDescriptor(name, PREFERRED, false, Object.class, null,
        TestDescriptor.NO_FIELDS_SCHEMA.formatted(name), config -> new AnyPhase(body));
  }

  private record AnyPhase(Consumer<Kong> body) implements RewritePhase, AccessPhase, ResponsePhase, LogPhase {
    @Override
    public void rewrite(Kong kong) {
      body.accept(kong);
    }

    @Override
    public void access(Kong kong) {
      body.accept(kong);
    }

    @Override
    public void response(Kong kong) {
      body.accept(kong);
    }

    @Override
    public void log(Kong kong) {
      body.accept(kong);
    }
  }
}
