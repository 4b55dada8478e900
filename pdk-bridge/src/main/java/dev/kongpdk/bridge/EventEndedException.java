package dev.kongpdk.bridge;

/**
 * The cause of a {@link dev.kongpdk.PdkException} raised by a PDK call made after its event ended:
 * after {@code kong.response.exit}, after Kong stopped answering (a Lua error on Kong's side), or
 * after the event timed out. Kong will not read anything more for that event.
 */
public final class EventEndedException extends RuntimeException {

  /**
   * Creates the exception.
   *
   * @param message why the event ended
   */
  public EventEndedException(String message) {
    super(message);
  }
}
