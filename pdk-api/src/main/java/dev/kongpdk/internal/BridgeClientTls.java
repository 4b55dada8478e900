package dev.kongpdk.internal;

import dev.kongpdk.Bridge;
import dev.kongpdk.ClientTls;
import java.util.Optional;

final class BridgeClientTls implements ClientTls {

  private final Bridge bridge;

  BridgeClientTls(Bridge bridge) {
    this.bridge = bridge;
  }

  @Override
  public void requestClientCertificate() {
    String method = "kong.client.tls.request_client_certificate";
    Values.requireTrue(method, bridge.call(method));
  }

  @Override
  public void disableSessionReuse() {
    String method = "kong.client.tls.disable_session_reuse";
    Values.requireTrue(method, bridge.call(method));
  }

  @Override
  public Optional<String> getFullClientCertificateChain() {
    String method = "kong.client.tls.get_full_client_certificate_chain";
    return Values.optionalString(method, bridge.call(method));
  }

  @Override
  public void setClientVerify(String verifyResult) {
    bridge.call("kong.client.tls.set_client_verify", Values.requireNonNull("verifyResult", verifyResult));
  }
}
