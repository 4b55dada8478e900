package dev.kongpdk.testkit;

/**
 * A plugin called a Lua function that {@link FakeKong} does not simulate. The test fails at once,
 * naming the function, instead of answering something Kong might not answer.
 */
public final class UnsimulatedCallError extends AssertionError {

  private final String method;

  /**
   * Creates the error.
   *
   * @param method the Lua function, for example {@code kong.table.new}
   * @param plugin the calling plugin
   * @param phase the phase of the call
   */
  public UnsimulatedCallError(String method, String plugin, String phase) {
    super("FakeKong does not simulate " + method + " (called by plugin '" + plugin + "' in the "
        + phase + " phase); strict mode fails on every call it cannot answer as Kong would."
        + " Test this call against a real Kong, or use MockBridge to script its answer.");
    this.method = method;
  }

  /** Returns the Lua function that is not simulated. */
  public String method() {
    return method;
  }
}
