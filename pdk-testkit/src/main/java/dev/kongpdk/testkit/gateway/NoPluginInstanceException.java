package dev.kongpdk.testkit.gateway;

/**
 * The server does not know the instance id ({@code no plugin instance ...}); Kong then starts the
 * instance again and retries the event.
 */
public final class NoPluginInstanceException extends RpcErrorException {

  /** @param rpcMethod the RPC method @param error the server's error string */
  public NoPluginInstanceException(String rpcMethod, String error) {
    super(rpcMethod, error);
  }
}
