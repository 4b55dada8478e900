package dev.kongpdk;

import static dev.kongpdk.plugin.Phase.ACCESS;
import static dev.kongpdk.plugin.Phase.CERTIFICATE;
import static dev.kongpdk.plugin.Phase.RESPONSE;
import static dev.kongpdk.plugin.Phase.REWRITE;

import java.util.Optional;

/**
 * {@code kong.client.tls}: the client's TLS connection (HTTP subsystem only). Functions that return
 * {@code true|nil, err} in Lua throw {@link PdkException} on failure.
 */
public interface ClientTls {

  /**
   * {@code kong.client.tls.request_client_certificate()}: asks the client for a certificate during
   * the handshake, advertising no CA list. (The CA list argument is a C structure that cannot be
   * sent over the plugin socket.)
   *
   * <p>Phases: certificate.
   *
   * @throws PdkException when Kong refuses
   */
  @LuaFunction(value = "kong.client.tls.request_client_certificate", phases = {CERTIFICATE})
  void requestClientCertificate();

  /**
   * {@code kong.client.tls.disable_session_reuse()}: stops TLS session resumption for this
   * connection, so the certificate phase runs on every handshake.
   *
   * <p>Phases: certificate.
   *
   * @throws PdkException when Kong refuses
   */
  @LuaFunction(value = "kong.client.tls.disable_session_reuse", phases = {CERTIFICATE})
  void disableSessionReuse();

  /**
   * {@code kong.client.tls.get_full_client_certificate_chain()}: the client's certificate chain in
   * PEM.
   *
   * <p>Phases: rewrite, access, response (not log: it reads the client's live TLS connection, which is
   * gone when an external plugin's log handler runs).
   *
   * @return the chain, or empty when the client sent no certificate (or Kong 3.x failed)
   */
  @LuaFunction(value = "kong.client.tls.get_full_client_certificate_chain", phases = {REWRITE, ACCESS, RESPONSE})
  Optional<String> getFullClientCertificateChain();

  /**
   * {@code kong.client.tls.set_client_verify(v)}: overrides the result of client certificate
   * verification that Kong logs and passes upstream.
   *
   * <p>Phases: rewrite, access, response.
   *
   * @param verifyResult {@code "SUCCESS"}, {@code "NONE"} or {@code "FAILED:<reason>"}
   */
  @LuaFunction(value = "kong.client.tls.set_client_verify", phases = {REWRITE, ACCESS, RESPONSE})
  void setClientVerify(String verifyResult);
}
