package dev.kongpdk.internal;

import dev.kongpdk.Kong;
import dev.kongpdk.LuaFunction;
import dev.kongpdk.plugin.KongVersion;
import dev.kongpdk.plugin.Phase;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which Lua functions a call may go to in which phase and Kong version, read once from the
 * {@link LuaFunction} annotations of the PDK module interfaces. Functions no typed method names
 * (reached through {@code kong.call}) are not known and never refused.
 */
final class CallRules {

  /** One function's rule, merged over the typed methods that call it. */
  record Rule(Set<Phase> phases, Set<Phase> kong2Phases, String since, boolean savedForLog) {}

  private static final Map<String, Rule> RULES = read();

  private CallRules() {}

  /**
   * Returns why {@code method} must not be sent in {@code phase} to {@code version}, or null when
   * it may.
   */
  static String refusal(String method, Phase phase, KongVersion version) {
    Rule rule = RULES.get(method);
    if (rule == null) {
      return null;
    }
    if (!version.has(rule.since())) {
      return "Kong 2.x has no " + method + " (it came with Kong " + rule.since() + ")";
    }
    Set<Phase> phases = version == KongVersion.KONG_2 && !rule.kong2Phases().isEmpty() ? rule.kong2Phases() : rule.phases();
    if (!phases.isEmpty() && !phases.contains(phase)) {
      String allowed = phases.stream().map(Phase::luaName).collect(Collectors.joining(", "));
      return phase == Phase.LOG
          ? "Kong does not answer it in an external plugin's log phase (only in: " + allowed + "); read the"
              + " value in an earlier phase and keep it in kong.ctx().shared()"
          : "Kong " + (phases == rule.phases() ? "" : "2.x ") + "does not allow it in the " + phase.luaName()
              + " phase (only in: " + allowed + ")";
    }
    if (phase == Phase.LOG && version == KongVersion.KONG_2 && !rule.phases().isEmpty() && !rule.savedForLog()) {
      return "Kong 2.x runs an external plugin's log handler without a request phase, so its phase check"
          + " fails there; in the log phase Kong 2.x answers only kong.log.*, kong.ctx.shared, kong.nginx"
          + " ctx and the saved request and response headers and status";
    }
    return null;
  }

  /** Returns the rule of {@code method}, or null when no typed method calls it. */
  static Rule rule(String method) {
    return RULES.get(method);
  }

  private static Set<Phase> set(Phase[] phases) {
    // in Kong's phase order, for the messages
    return phases.length == 0 ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(Arrays.asList(phases)));
  }

  private static Map<String, Rule> read() {
    Map<String, Rule> rules = new HashMap<>();
    collect(Kong.class, rules);
    return Map.copyOf(rules);
  }

  private static void collect(Class<?> module, Map<String, Rule> rules) {
    for (Method method : module.getMethods()) {
      Class<?> type = method.getReturnType();
      if (method.getParameterCount() == 0 && type.isInterface() && type.getPackageName().equals("dev.kongpdk")) {
        collect(type, rules);
        continue;
      }
      LuaFunction lua = method.getAnnotation(LuaFunction.class);
      if (lua == null) {
        continue;
      }
      Rule rule = new Rule(set(lua.phases()), set(lua.kong2Phases()), lua.since(), lua.savedForLog());
      Rule earlier = rules.putIfAbsent(lua.value(), rule);
      if (earlier != null && !earlier.equals(rule)) {
        throw new IllegalStateException("typed methods calling " + lua.value() + " disagree: " + earlier + " and " + rule);
      }
    }
  }
}
