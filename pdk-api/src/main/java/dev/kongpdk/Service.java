package dev.kongpdk;

import static dev.kongpdk.plugin.Phase.ACCESS;
import static dev.kongpdk.plugin.Phase.PREREAD;
import static dev.kongpdk.plugin.Phase.REWRITE;

/**
 * {@code kong.service}: the upstream service of the current request: where Kong proxies it, and
 * how.
 *
 * <p>Functions that return {@code true|nil, err} in Lua are {@code void} here and throw {@link
 * PdkException} when Kong reports a failure: on Kong 2.8 with Kong's message, on Kong 3.x (which
 * drops the message) with a generic one.
 */
public interface Service {

  /**
   * {@code kong.service.request}: the request Kong sends upstream.
   *
   * @return the module
   */
  ServiceRequest request();

  /**
   * {@code kong.service.response}: the response the upstream sent.
   *
   * @return the module
   */
  ServiceResponse response();

  /**
   * {@code kong.service.set_upstream(host)}: proxies the request to the Kong upstream named {@code
   * host}, balancing over its targets.
   *
   * <p>Phases: access.
   *
   * @param host the upstream's name
   * @throws PdkException when there is no such upstream
   */
  @LuaFunction(value = "kong.service.set_upstream", phases = {ACCESS})
  void setUpstream(String host);

  /**
   * {@code kong.service.set_target(host, port)}: proxies the request to {@code host:port} directly,
   * bypassing load balancing.
   *
   * <p>Phases: access, preread (not rewrite: Kong's phase check lets it through there, but the
   * balancing data it writes only exists from access on, so Kong raises).
   *
   * @param host the host name or address
   * @param port the port, 0 to 65535
   */
  @LuaFunction(value = "kong.service.set_target", phases = {ACCESS, PREREAD})
  void setTarget(String host, int port);

  /**
   * {@code kong.service.set_retries(retries)}: how many times Kong retries a failed connection to
   * the upstream for this request.
   *
   * <p>Phases: access.
   *
   * @param retries 0 to 32767
   */
  @LuaFunction(value = "kong.service.set_retries", phases = {ACCESS}, since = "3")
  void setRetries(int retries);

  /**
   * {@code kong.service.set_timeouts(connect_timeout, write_timeout, read_timeout)}: the upstream
   * timeouts for this request, in milliseconds.
   *
   * <p>Phases: access.
   *
   * @param connectTimeout 1 to 2147483646
   * @param writeTimeout 1 to 2147483646
   * @param readTimeout 1 to 2147483646
   */
  @LuaFunction(value = "kong.service.set_timeouts", phases = {ACCESS}, since = "3")
  void setTimeouts(int connectTimeout, int writeTimeout, int readTimeout);

  /**
   * {@code kong.service.set_tls_verify(on)}: whether Kong verifies the upstream's TLS certificate
   * for this request.
   *
   * <p>Phases: rewrite, access, preread.
   *
   * @param on {@code true} to verify
   * @throws PdkException when Kong refuses (for example without the TLS patches)
   */
  @LuaFunction(value = "kong.service.set_tls_verify", phases = {REWRITE, ACCESS, PREREAD})
  void setTlsVerify(boolean on);

  /**
   * {@code kong.service.set_tls_verify_depth(depth)}: the maximum depth of the upstream's
   * certificate chain for this request.
   *
   * <p>Phases: rewrite, access, preread.
   *
   * @param depth the depth, 0 or more
   * @throws PdkException when Kong refuses
   */
  @LuaFunction(value = "kong.service.set_tls_verify_depth", phases = {REWRITE, ACCESS, PREREAD})
  void setTlsVerifyDepth(int depth);
}
