package dev.kongpdk;

/**
 * A PDK call failed: Kong answered with an error, the event has ended, or the answer had a shape
 * the typed API cannot read.
 *
 * <p>{@link #method()} names the Lua function that was called, so the message can be looked up in
 * Kong's own PDK documentation.
 */
public class PdkException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The Lua function whose call failed. */
  private final String method;

  /**
   * Creates an exception for a failed call of the Lua function {@code method}.
   *
   * @param method the Lua function, for example {@code "kong.service.set_upstream"}
   * @param message what went wrong, as Kong or the bridge said it
   */
  public PdkException(String method, String message) {
    super(method + ": " + message);
    this.method = method;
  }

  /**
   * Creates an exception for a failed call of the Lua function {@code method}, with a cause.
   *
   * @param method the Lua function
   * @param message what went wrong
   * @param cause the underlying failure
   */
  public PdkException(String method, String message, Throwable cause) {
    super(method + ": " + message, cause);
    this.method = method;
  }

  /**
   * Returns the Lua function whose call failed.
   *
   * @return the Lua function, for example {@code "kong.service.set_upstream"}
   */
  public String method() {
    return method;
  }
}
