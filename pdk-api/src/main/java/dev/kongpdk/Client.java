package dev.kongpdk;

import static dev.kongpdk.plugin.Phase.ACCESS;
import static dev.kongpdk.plugin.Phase.CERTIFICATE;
import static dev.kongpdk.plugin.Phase.LOG;
import static dev.kongpdk.plugin.Phase.PREREAD;
import static dev.kongpdk.plugin.Phase.RESPONSE;
import static dev.kongpdk.plugin.Phase.REWRITE;

import dev.kongpdk.entity.Consumer;
import dev.kongpdk.entity.Credential;
import java.util.Optional;

/** {@code kong.client}: the client that sent the request, and who it authenticated as. */
public interface Client {

  /**
   * {@code kong.client.tls}: the client's TLS connection.
   *
   * @return the module
   */
  ClientTls tls();

  /**
   * {@code kong.client.get_ip()}: the address of the peer connected to Kong (a proxy's address
   * when there is one in front of Kong).
   *
   * <p>Phases: certificate, rewrite, access, response, preread (not log: Kong raises there for external plugins).
   *
   * @return the address
   * @throws PdkException when Kong answers nothing (Kong 3.x: the call failed)
   */
  @LuaFunction(value = "kong.client.get_ip", phases = {CERTIFICATE, REWRITE, ACCESS, RESPONSE, PREREAD})
  String getIp();

  /**
   * {@code kong.client.get_forwarded_ip()}: the client's address, taken from the forwarding headers
   * when the peer is a trusted proxy.
   *
   * <p>Phases: certificate, rewrite, access, response, preread (not log: Kong raises there for external plugins).
   *
   * @return the address
   * @throws PdkException when Kong answers nothing (Kong 3.x: the call failed)
   */
  @LuaFunction(value = "kong.client.get_forwarded_ip", phases = {CERTIFICATE, REWRITE, ACCESS, RESPONSE, PREREAD})
  String getForwardedIp();

  /**
   * {@code kong.client.get_port()}: the port of the peer connected to Kong.
   *
   * <p>Phases: certificate, rewrite, access, response, preread (not log: Kong raises there for external plugins).
   *
   * @return the port
   * @throws PdkException when Kong answers nothing (Kong 3.x: the call failed)
   */
  @LuaFunction(value = "kong.client.get_port", phases = {CERTIFICATE, REWRITE, ACCESS, RESPONSE, PREREAD})
  int getPort();

  /**
   * {@code kong.client.get_forwarded_port()}: the client's port, taken from the forwarding headers
   * when the peer is a trusted proxy.
   *
   * <p>Phases: certificate, rewrite, access, response, preread (not log: Kong raises there for external plugins).
   *
   * @return the port
   * @throws PdkException when Kong answers nothing (Kong 3.x: the call failed)
   */
  @LuaFunction(value = "kong.client.get_forwarded_port", phases = {CERTIFICATE, REWRITE, ACCESS, RESPONSE, PREREAD})
  int getForwardedPort();

  /**
   * {@code kong.client.get_credential()}: the credential the client authenticated with.
   *
   * <p>Phases: access, response, log.
   *
   * @return the credential, or empty when the client is not authenticated
   */
  @LuaFunction(value = "kong.client.get_credential", phases = {ACCESS, RESPONSE, LOG})
  Optional<Credential> getCredential();

  /**
   * {@code kong.client.load_consumer(consumer_id)}: loads a consumer by id from Kong's cache or
   * database.
   *
   * <p>Phases: access, response, log.
   *
   * @param consumerId the consumer's UUID (anything else makes Kong raise an error, which ends the
   *     event)
   * @return the consumer, or empty when there is none with that id
   */
  @LuaFunction(value = "kong.client.load_consumer", phases = {ACCESS, RESPONSE, LOG})
  Optional<Consumer> loadConsumer(String consumerId);

  /**
   * {@code kong.client.load_consumer(consumer_id, search_by_username)}: as {@link
   * #loadConsumer(String)}, also looking the value up as a username when {@code
   * searchByUsername} is set and no consumer has it as id.
   *
   * <p>Phases: access, response, log.
   *
   * @param consumerIdOrUsername the consumer's UUID or username
   * @param searchByUsername whether to fall back to a username lookup
   * @return the consumer, or empty when none matches
   */
  @LuaFunction(value = "kong.client.load_consumer", phases = {ACCESS, RESPONSE, LOG})
  Optional<Consumer> loadConsumer(String consumerIdOrUsername, boolean searchByUsername);

  /**
   * {@code kong.client.get_consumer()}: the consumer the client authenticated as.
   *
   * <p>Phases: access, response, log.
   *
   * @return the consumer, or empty when the client is not authenticated as a consumer
   */
  @LuaFunction(value = "kong.client.get_consumer", phases = {ACCESS, RESPONSE, LOG})
  Optional<Consumer> getConsumer();

  /**
   * {@code kong.client.authenticate(consumer)}: marks the request as authenticated as {@code
   * consumer}, without a credential.
   *
   * <p>Phases: access.
   *
   * @param consumer the consumer (at least its id)
   */
  @LuaFunction(value = "kong.client.authenticate", phases = {ACCESS})
  void authenticate(Consumer consumer);

  /**
   * {@code kong.client.authenticate(consumer, credential)}: marks the request as authenticated as
   * {@code consumer} with {@code credential}. (Authenticating with a credential and no consumer
   * would need a {@code nil} first argument, which Kong's argument unpacking cannot carry.)
   *
   * <p>Phases: access.
   *
   * @param consumer the consumer (at least its id)
   * @param credential the credential (at least its id)
   */
  @LuaFunction(value = "kong.client.authenticate", phases = {ACCESS})
  void authenticate(Consumer consumer, Credential credential);

  /**
   * {@code kong.client.get_protocol()}: the protocol of the matched route: {@code "http"}, {@code
   * "https"}, {@code "tcp"}, {@code "tls"}, {@code "grpc"}, ...
   *
   * <p>Phases: access, response (not log: Kong raises there for external plugins).
   *
   * @return the protocol, or empty when Kong could not tell (no route matched)
   */
  @LuaFunction(value = "kong.client.get_protocol", phases = {ACCESS, RESPONSE})
  Optional<String> getProtocol();

  /**
   * {@code kong.client.get_protocol(allow_terminated)}: as {@link #getProtocol()}; with {@code
   * allowTerminated}, a request a trusted proxy received over HTTPS counts as {@code "https"}.
   *
   * <p>Phases: access, response (not log: Kong raises there for external plugins).
   *
   * @param allowTerminated whether to honour {@code X-Forwarded-Proto} from trusted proxies
   * @return the protocol, or empty when Kong could not tell
   */
  @LuaFunction(value = "kong.client.get_protocol", phases = {ACCESS, RESPONSE})
  Optional<String> getProtocol(boolean allowTerminated);
}
