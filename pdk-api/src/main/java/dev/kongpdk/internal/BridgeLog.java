package dev.kongpdk.internal;

import dev.kongpdk.Bridge;
import dev.kongpdk.Log;

final class BridgeLog implements Log {

  private final Bridge bridge;

  BridgeLog(Bridge bridge) {
    this.bridge = bridge;
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

  private void log(String level, Object[] parts) {
    // Lua's kong.log stringifies its arguments; a nil among them would cut the argument list.
    Object[] args = new Object[parts.length];
    for (int i = 0; i < parts.length; i++) {
      args[i] = String.valueOf(parts[i]);
    }
    bridge.call("kong.log." + level, args);
  }
}
