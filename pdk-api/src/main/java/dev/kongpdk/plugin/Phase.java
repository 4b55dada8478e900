package dev.kongpdk.plugin;

/** The phases an external plugin can implement, with the names Kong uses on the wire. */
public enum Phase {
  /** {@code certificate}: the TLS handshake (global plugins only). */
  CERTIFICATE("certificate", true),
  /** {@code rewrite}: before routing (global plugins only). */
  REWRITE("rewrite", true),
  /** {@code access}: after routing, before the upstream is called. */
  ACCESS("access", true),
  /** {@code response}: after the whole upstream response is read (turns on buffered proxying). */
  RESPONSE("response", true),
  /** {@code preread}: stream (TCP/TLS) connections. */
  PREREAD("preread", true),
  /** {@code log}: after the response was sent to the client. */
  LOG("log", false);

  private final String luaName;
  private final boolean requestPhase;

  Phase(String luaName, boolean requestPhase) {
    this.luaName = luaName;
    this.requestPhase = requestPhase;
  }

  /** Returns the phase name Kong sends as {@code EventName}, for example {@code "access"}. */
  public String luaName() {
    return luaName;
  }

  /**
   * Returns whether the phase runs while the client waits, so that a failure can still change the
   * client's response (every phase but {@code log}).
   */
  public boolean isRequestPhase() {
    return requestPhase;
  }

  /**
   * Returns the phase Kong calls {@code name}.
   *
   * @param name the wire name, for example {@code "access"}
   * @return the phase
   * @throws IllegalArgumentException when no external-plugin phase has that name
   */
  public static Phase fromLuaName(String name) {
    for (Phase phase : values()) {
      if (phase.luaName.equals(name)) {
        return phase;
      }
    }
    throw new IllegalArgumentException("unknown phase '" + name + "'");
  }
}
