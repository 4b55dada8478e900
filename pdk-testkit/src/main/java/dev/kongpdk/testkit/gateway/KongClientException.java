package dev.kongpdk.testkit.gateway;

/** The plugin server could not be reached, did not answer in time, or broke the protocol. */
public class KongClientException extends RuntimeException {

  /** @param message what went wrong */
  public KongClientException(String message) {
    super(message);
  }

  /** @param message what went wrong @param cause the underlying failure */
  public KongClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
