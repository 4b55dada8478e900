package dev.kongpdk;

import static dev.kongpdk.plugin.Phase.ACCESS;
import static dev.kongpdk.plugin.Phase.CERTIFICATE;
import static dev.kongpdk.plugin.Phase.PREREAD;
import static dev.kongpdk.plugin.Phase.RESPONSE;
import static dev.kongpdk.plugin.Phase.REWRITE;

import dev.kongpdk.entity.NginxStatistics;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * {@code kong.nginx}: nginx itself. {@code get_var}, {@code get_tls1_version_str}, {@code get_ctx},
 * {@code set_ctx} and {@code req_start_time} are functions Kong adds for external plugins only,
 * without a phase check. In the log phase, {@code get_ctx} and {@code set_ctx} use the request
 * context Kong saved when the request ended (a copy on Kong 3.x), and {@code req_start_time} the
 * saved start time (Kong 3.1 and later); {@code get_var} and {@code get_tls1_version_str} read live
 * nginx state, which is gone by then.
 */
public interface Nginx {

  /**
   * {@code kong.nginx.get_subsystem()}: the nginx subsystem handling the request.
   *
   * <p>Phases: any.
   *
   * @return {@code "http"} or {@code "stream"}
   * @throws PdkException when Kong answers nothing
   */
  @LuaFunction("kong.nginx.get_subsystem")
  String getSubsystem();

  /**
   * {@code kong.nginx.get_statistics()}: nginx's connection and request counters.
   *
   * <p>Phases: any.
   *
   * @return the counters
   * @throws PdkException when Kong answers nothing (a Kong version without the function)
   */
  @LuaFunction(value = "kong.nginx.get_statistics", since = "3")
  NginxStatistics getStatistics();

  /**
   * {@code kong.nginx.get_var(name)}: an nginx variable ({@code ngx.var[name]}), for example
   * {@code "request_uri"} or {@code "upstream_addr"}.
   *
   * <p>Phases: certificate, rewrite, access, response, preread (not log: Kong raises there for external plugins).
   *
   * @param name the variable's name, without {@code $}
   * @return the value, or empty when the variable is unset
   */
  @LuaFunction(value = "kong.nginx.get_var", phases = {CERTIFICATE, REWRITE, ACCESS, RESPONSE, PREREAD})
  Optional<String> getVar(String name);

  /**
   * {@code kong.nginx.get_tls1_version_str()}: the TLS version of the client connection, for
   * example {@code "TLSv1.3"}.
   *
   * <p>Phases: any.
   *
   * @return the version, or empty for a plain-text connection
   */
  @LuaFunction(value = "kong.nginx.get_tls1_version_str")
  Optional<String> getTls1VersionStr();

  /**
   * {@code kong.nginx.get_ctx(key)}: a raw value of the request's {@code ngx.ctx}, where Kong keeps
   * its own bookkeeping ({@code "KONG_PROCESSING_START"}, {@code "KONG_ACCESS_START"}, ...), as Kong
   * sends it.
   *
   * <p>Phases: any.
   *
   * @param key the key
   * @return the value, or empty when nothing is stored
   */
  @LuaFunction("kong.nginx.get_ctx")
  Optional<Object> getCtx(String key);

  /**
   * {@code kong.nginx.get_ctx(key)}: the string stored under {@code key} in {@code ngx.ctx}.
   *
   * <p>Phases: any.
   *
   * @param key the key
   * @return the value, or empty when nothing is stored
   * @throws PdkException when the value is not a string
   */
  @LuaFunction("kong.nginx.get_ctx")
  Optional<String> getCtxString(String key);

  /**
   * {@code kong.nginx.get_ctx(key)}: the integer stored under {@code key} in {@code ngx.ctx} (Kong's
   * timestamps are milliseconds); a number with a fraction is rounded.
   *
   * <p>Phases: any.
   *
   * @param key the key
   * @return the value, or empty when nothing is stored
   * @throws PdkException when the value is not a number
   */
  @LuaFunction("kong.nginx.get_ctx")
  OptionalLong getCtxLong(String key);

  /**
   * {@code kong.nginx.get_ctx(key)}: the number stored under {@code key} in {@code ngx.ctx}.
   *
   * <p>Phases: any.
   *
   * @param key the key
   * @return the value, or empty when nothing is stored
   * @throws PdkException when the value is not a number
   */
  @LuaFunction("kong.nginx.get_ctx")
  OptionalDouble getCtxDouble(String key);

  /**
   * {@code kong.nginx.set_ctx(key, value)}: stores a raw value in the request's {@code ngx.ctx};
   * {@code null} removes it. In the log phase of Kong 3.x this changes only a copy.
   *
   * <p>Phases: any.
   *
   * @param key the key
   * @param value a string, number, boolean, {@code byte[]}, list or map; or {@code null}
   * @throws IllegalArgumentException when the value has no Lua counterpart
   */
  @LuaFunction("kong.nginx.set_ctx")
  void setCtx(String key, Object value);

  /**
   * {@code kong.nginx.req_start_time()}: when nginx received the request, in seconds since the
   * epoch with millisecond resolution.
   *
   * <p>Phases: any.
   *
   * @return the time in seconds
   * @throws PdkException when Kong answers nothing
   */
  @LuaFunction(value = "kong.nginx.req_start_time")
  double reqStartTime();
}
