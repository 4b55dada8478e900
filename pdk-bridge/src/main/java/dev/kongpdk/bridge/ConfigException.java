package dev.kongpdk.bridge;

/**
 * A plugin config that cannot be bound to the plugin's config record. The message names the field
 * and the reason, for example {@code config.message: expected a string but got 12}.
 */
public final class ConfigException extends Exception {

  /**
   * Creates the exception.
   *
   * @param message the field and the reason
   */
  public ConfigException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message the field and the reason
   * @param cause the underlying failure
   */
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
