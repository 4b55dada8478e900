package dev.kongpdk.testkit.gateway;

/** The plugin server answered an RPC with an error string ({@code [1, msgid, "error", nil]}). */
public class RpcErrorException extends KongClientException {

  private final String rpcMethod;
  private final String error;

  /**
   * @param rpcMethod the RPC method, for example {@code plugin.HandleEvent}
   * @param error the error string the server sent
   */
  public RpcErrorException(String rpcMethod, String error) {
    super(rpcMethod + " failed: " + error);
    this.rpcMethod = rpcMethod;
    this.error = error;
  }

  /** Returns the RPC method that failed. */
  public String rpcMethod() {
    return rpcMethod;
  }

  /** Returns the server's error string. */
  public String error() {
    return error;
  }
}
