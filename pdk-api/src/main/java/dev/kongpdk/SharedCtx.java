package dev.kongpdk;

import static dev.kongpdk.plugin.Phase.ACCESS;
import static dev.kongpdk.plugin.Phase.LOG;
import static dev.kongpdk.plugin.Phase.PREREAD;
import static dev.kongpdk.plugin.Phase.RESPONSE;
import static dev.kongpdk.plugin.Phase.REWRITE;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * {@code kong.ctx.shared}: values shared by all plugins (Lua and external) during one request, from
 * rewrite to log. Values are plain Java values: strings, numbers, booleans, lists and maps.
 */
public interface SharedCtx {

  /**
   * {@code kong.ctx.shared.get(key)}: the value stored under {@code key}, as Kong sends it
   * ({@code String}, {@code Long}, {@code Double}, {@code Boolean}, {@code List}, {@code Map}).
   *
   * <p>Phases: rewrite, access, response, preread, log.
   *
   * @param key the key
   * @return the value, or empty when nothing is stored
   */
  @LuaFunction(value = "kong.ctx.shared.get", phases = {REWRITE, ACCESS, RESPONSE, PREREAD, LOG}, savedForLog = true)
  Optional<Object> get(String key);

  /**
   * {@code kong.ctx.shared.get(key)}: the string stored under {@code key}.
   *
   * <p>Phases: rewrite, access, response, preread, log.
   *
   * @param key the key
   * @return the value, or empty when nothing is stored
   * @throws PdkException when the value is not a string
   */
  @LuaFunction(value = "kong.ctx.shared.get", phases = {REWRITE, ACCESS, RESPONSE, PREREAD, LOG}, savedForLog = true)
  Optional<String> getString(String key);

  /**
   * {@code kong.ctx.shared.get(key)}: the integer stored under {@code key}; a number with a
   * fraction is rounded.
   *
   * <p>Phases: rewrite, access, response, preread, log.
   *
   * @param key the key
   * @return the value, or empty when nothing is stored
   * @throws PdkException when the value is not a number
   */
  @LuaFunction(value = "kong.ctx.shared.get", phases = {REWRITE, ACCESS, RESPONSE, PREREAD, LOG}, savedForLog = true)
  OptionalLong getLong(String key);

  /**
   * {@code kong.ctx.shared.get(key)}: the number stored under {@code key}.
   *
   * <p>Phases: rewrite, access, response, preread, log.
   *
   * @param key the key
   * @return the value, or empty when nothing is stored
   * @throws PdkException when the value is not a number
   */
  @LuaFunction(value = "kong.ctx.shared.get", phases = {REWRITE, ACCESS, RESPONSE, PREREAD, LOG}, savedForLog = true)
  OptionalDouble getDouble(String key);

  /**
   * {@code kong.ctx.shared.get(key)}: the boolean stored under {@code key}.
   *
   * <p>Phases: rewrite, access, response, preread, log.
   *
   * @param key the key
   * @return the value, or empty when nothing is stored
   * @throws PdkException when the value is not a boolean
   */
  @LuaFunction(value = "kong.ctx.shared.get", phases = {REWRITE, ACCESS, RESPONSE, PREREAD, LOG}, savedForLog = true)
  Optional<Boolean> getBoolean(String key);

  /**
   * {@code kong.ctx.shared.set(key, value)}: stores {@code value} under {@code key}; {@code null}
   * removes the entry.
   *
   * <p>Phases: rewrite, access, response, preread, log.
   *
   * @param key the key
   * @param value a string, number, boolean, {@code byte[]}, list or map; or {@code null}
   * @throws IllegalArgumentException when the value has no Lua counterpart
   */
  @LuaFunction(value = "kong.ctx.shared.set", phases = {REWRITE, ACCESS, RESPONSE, PREREAD, LOG}, savedForLog = true)
  void set(String key, Object value);
}
