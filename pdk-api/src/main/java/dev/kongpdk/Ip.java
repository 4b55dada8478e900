package dev.kongpdk;

/** {@code kong.ip}: facts about IP addresses, from Kong's configuration. */
public interface Ip {

  /**
   * {@code kong.ip.is_trusted(address)}: whether {@code address} is a trusted proxy ({@code
   * trusted_ips} in Kong's configuration).
   *
   * <p>Phases: any.
   *
   * @param address an IPv4 or IPv6 address
   * @return {@code true} when trusted
   * @throws PdkException when Kong answers nothing
   */
  @LuaFunction("kong.ip.is_trusted")
  boolean isTrusted(String address);
}
