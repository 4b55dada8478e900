package dev.kongpdk.testkit;

import dev.kongpdk.testkit.internal.Json;
import java.util.List;

/** {@code kong.ctx.shared.*}, {@code kong.log.*}, {@code kong.ip}, {@code kong.plugin} and {@code kong.cluster} as FakeKong answers them. */
final class ContextFunctions {

  private ContextFunctions() {}

  static void register(FakeKong k) {
    k.fn("kong.ctx.shared.get", PhaseSets.ANY, a -> k.ctxShared.get(a.string(0, "key")));
    k.fn("kong.ctx.shared.set", PhaseSets.ANY, a -> {
      String key = a.string(0, "key");
      if (a.opt(1) == null) {
        k.ctxShared.remove(key);
      } else {
        k.ctxShared.put(key, a.opt(1));
      }
      return null;
    });
    for (String level : List.of("debug", "info", "notice", "warn", "err", "crit", "alert", "emerg")) {
      k.fn("kong.log." + level, PhaseSets.ANY, a -> {
        k.log(level, a.values);
        return null;
      });
    }
    k.fn("kong.log", PhaseSets.ANY, a -> {
      k.log("notice", a.values);
      return null;
    });
    k.fn("kong.log.inspect", PhaseSets.ANY, a -> {
      k.log("debug", a.values);
      return null;
    });
    k.fn("kong.log.set_format", PhaseSets.ANY, a -> null);
    k.fn("kong.log.inspect.on", PhaseSets.ANY, a -> null);
    k.fn("kong.log.inspect.off", PhaseSets.ANY, a -> null);
    k.fn("kong.telemetry.log", PhaseSets.REQ_SAVED, a -> {
      if (!(a.opt(0) instanceof String)) {
        return null; // nil, "plugin_name must be a string" (the error is dropped by Kong 3.x)
      }
      if (!k.settings.openTelemetryLogs) {
        return null; // nil and an error: the OpenTelemetry plugin does not report logs
      }
      k.log("telemetry", List.of(String.valueOf(a.opt(2)), ": ", a.opt(3) == null ? "" : a.opt(3)));
      return true;
    });
    k.fn("kong.log.trace", PhaseSets.ANY, a -> null); // a no-op unless Kong runs its own test suite
    k.fn("kong.log.deprecation", PhaseSets.ANY, a -> {
      k.log("warn", a.values);
      return null;
    });
    k.fn("kong.log.set_serialize_value", PhaseSets.REQ_SAVED, a -> {
      String key = a.string(0, "key");
      String mode = "set";
      if (a.opt(2) != null && a.table(2, "options").get("mode") instanceof String m) {
        if (!m.equals("set") && !m.equals("add") && !m.equals("replace")) {
          throw new LuaError(a.method, "mode must be 'set', 'add' or 'replace'");
        }
        mode = m;
      }
      k.serializeValues.put(key, new Object[] {a.opt(1), mode});
      return null;
    });
    k.fn("kong.log.serialize", PhaseSets.ONLY_LOG, a -> Json.encode(k.serialize()));
    k.fn("kong.ip.is_trusted", PhaseSets.ANY, a -> k.isTrusted(a.string(0, "address")));
    k.fn("kong.plugin.get_id", PhaseSets.ANY, a -> k.pluginId);
    k.fn("kong.cluster.get_id", PhaseSets.ANY, a -> k.settings.clusterId);
  }
}
