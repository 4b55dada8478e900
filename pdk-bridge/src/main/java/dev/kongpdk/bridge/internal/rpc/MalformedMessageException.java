package dev.kongpdk.bridge.internal.rpc;

import java.io.IOException;

/** Bytes on a connection that are not a message the plugin server accepts. */
public final class MalformedMessageException extends IOException {

  public MalformedMessageException(String message) {
    super(message);
  }
}
