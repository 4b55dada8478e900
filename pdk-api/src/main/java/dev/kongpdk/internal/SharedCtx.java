package dev.kongpdk.internal;

import dev.kongpdk.Bridge;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

final class SharedCtx implements dev.kongpdk.SharedCtx {

  private static final String GET = "kong.ctx.shared.get";
  private static final String SET = "kong.ctx.shared.set";

  private final Bridge bridge;

  SharedCtx(Bridge bridge) {
    this.bridge = bridge;
  }

  private Object raw(String key) {
    return bridge.call(GET, Values.requireNonNull("key", key));
  }

  @Override
  public Optional<Object> get(String key) {
    return Optional.ofNullable(Values.plain(raw(key)));
  }

  @Override
  public Optional<String> getString(String key) {
    return Values.optionalString(GET, raw(key));
  }

  @Override
  public OptionalLong getLong(String key) {
    return Values.optionalLong(GET, raw(key));
  }

  @Override
  public OptionalDouble getDouble(String key) {
    return Values.optionalDouble(GET, raw(key));
  }

  @Override
  public Optional<Boolean> getBoolean(String key) {
    return Values.optionalBoolean(GET, raw(key));
  }

  @Override
  public void set(String key, Object value) {
    Values.requireNonNull("key", key);
    if (value == null) {
      bridge.call(SET, key); // a trailing nil: Lua sees set(key, nil)
    } else {
      bridge.call(SET, key, Values.toLua("value", value));
    }
  }
}
