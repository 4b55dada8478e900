package dev.kongpdk.bridge.internal;

/** A request Kong made that the server answers with an RPC error string. */
public final class RpcError extends Exception {

  public RpcError(String message) {
    super(message, null, false, false);
  }
}
