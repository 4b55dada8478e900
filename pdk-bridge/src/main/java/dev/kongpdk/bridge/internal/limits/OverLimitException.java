package dev.kongpdk.bridge.internal.limits;

import java.io.IOException;

/**
 * A peer sent more than the server's limits let it hold (a message too large on the wire or once
 * decoded, or more than the shared budget has left). The connection it came on is closed: its
 * stream cannot be resynchronised.
 */
public final class OverLimitException extends IOException {
  public OverLimitException(String message) {
    super(message);
  }
}
