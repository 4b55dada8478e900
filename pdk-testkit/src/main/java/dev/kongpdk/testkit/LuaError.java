package dev.kongpdk.testkit;

/**
 * A Lua error Kong would raise inside a PDK call: a call outside its phases, or bad arguments. Kong
 * sends nothing more for the event; in a request phase the client gets a 500.
 */
public final class LuaError extends RuntimeException {

  /**
   * Creates the error.
   *
   * @param method the Lua function
   * @param message Kong's message
   */
  public LuaError(String method, String message) {
    super(method + ": " + message);
  }
}
