package dev.kongpdk.internal;

import dev.kongpdk.Bridge;
import dev.kongpdk.Log;
import java.util.Map;

final class BridgeLog implements Log {

  private final Bridge bridge;

  BridgeLog(Bridge bridge) {
    this.bridge = bridge;
  }

  @Override
  public void emerg(Object... parts) {
    log("emerg", parts);
  }

  @Override
  public void alert(Object... parts) {
    log("alert", parts);
  }

  @Override
  public void crit(Object... parts) {
    log("crit", parts);
  }

  @Override
  public void err(Object... parts) {
    log("err", parts);
  }

  @Override
  public void warn(Object... parts) {
    log("warn", parts);
  }

  @Override
  public void notice(Object... parts) {
    log("notice", parts);
  }

  @Override
  public void info(Object... parts) {
    log("info", parts);
  }

  @Override
  public void debug(Object... parts) {
    log("debug", parts);
  }

  @Override
  public void deprecation(Object... parts) {
    log("deprecation", parts);
  }

  @Override
  public void inspect(Object... values) {
    Object[] args = new Object[values == null ? 0 : values.length];
    for (int i = 0; i < args.length; i++) {
      // a nil would cut the argument list at that point; Lua's inspect prints it as "nil"
      args[i] = values[i] == null ? "nil" : Values.toLua("inspected value " + (i + 1), values[i]);
    }
    bridge.call("kong.log.inspect", args);
  }

  @Override
  public void inspectOn() {
    bridge.call("kong.log.inspect.on");
  }

  @Override
  public void inspectOff() {
    bridge.call("kong.log.inspect.off");
  }

  @Override
  public void setFormat(String format) {
    bridge.call("kong.log.set_format", Values.requireNonNull("format", format));
  }

  @Override
  public void setSerializeValue(String key, Object value) {
    Values.requireNonNull("key", key);
    if (value == null) {
      bridge.call("kong.log.set_serialize_value", key);
    } else {
      bridge.call("kong.log.set_serialize_value", key, Values.toLua("value", value));
    }
  }

  @Override
  public void setSerializeValue(String key, Object value, SerializeMode mode) {
    Values.requireNonNull("key", key);
    Values.requireNonNull("value (with a mode)", value);
    Values.requireNonNull("mode", mode);
    bridge.call("kong.log.set_serialize_value", key, Values.toLua("value", value),
        Map.of("mode", mode.luaName()));
  }

  @Override
  public String serialize() {
    return Values.requiredString("kong.log.serialize", bridge.call("kong.log.serialize"));
  }

  private void log(String level, Object[] parts) {
    // Lua's kong.log stringifies its arguments; a nil among them would cut the argument list.
    Object[] args = new Object[parts == null ? 0 : parts.length];
    for (int i = 0; i < args.length; i++) {
      args[i] = String.valueOf(parts[i]);
    }
    bridge.call("kong.log." + level, args);
  }
}
