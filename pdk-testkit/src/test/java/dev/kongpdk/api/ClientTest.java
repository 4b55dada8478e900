package dev.kongpdk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kongpdk.Client;
import dev.kongpdk.PdkException;
import dev.kongpdk.entity.Consumer;
import dev.kongpdk.entity.Credential;
import dev.kongpdk.testkit.MockBridge;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ClientTest {

  private static final String CONSUMER = """
      {"id": "6f1c1a8e-3f0b-4c7e-9d2a-5b8e7c6d4a21", "username": "alice", "created_at": 1795689784,
       "updated_at": 1795689785, "tags": ["gold"], "ws_id": "00000000-0000-4000-8000-0000000000ff",
       "custom_id": null, "type": 0}""";
  private static final String KEY_AUTH_CREDENTIAL = """
      {"id": "c1", "key": "secret", "consumer": {"id": "6f1c1a8e-3f0b-4c7e-9d2a-5b8e7c6d4a21"},
       "created_at": 1795689784, "ttl": null, "tags": []}""";

  private final MockBridge bridge = new MockBridge();

  private Client client() {
    return bridge.kong().client();
  }

  @Test
  void addressesAndPorts() {
    bridge.expect("kong.client.get_ip").returns("127.0.0.1")
        .expect("kong.client.get_forwarded_ip").returns("10.0.0.1")
        .expect("kong.client.get_port").returns(42252L)
        .expect("kong.client.get_forwarded_port").returns(443L);
    assertEquals("127.0.0.1", client().getIp());
    assertEquals("10.0.0.1", client().getForwardedIp());
    assertEquals(42252, client().getPort());
    assertEquals(443, client().getForwardedPort());
    bridge.verify();
  }

  @Test
  void consumerDecodesKongsPayloadAndNulls() {
    bridge.expect("kong.client.get_consumer").returns(Json.parse(CONSUMER));
    Consumer consumer = client().getConsumer().orElseThrow();
    assertEquals("6f1c1a8e-3f0b-4c7e-9d2a-5b8e7c6d4a21", consumer.id());
    assertEquals(Optional.of("alice"), consumer.username());
    assertEquals(Optional.empty(), consumer.customId());
    assertEquals(List.of("gold"), consumer.tags());
    assertEquals(OptionalLong.of(1795689784L), consumer.createdAt());
    assertEquals(0L, consumer.fields().get("type"));
  }

  @Test
  void noConsumerOrCredentialIsEmpty() {
    bridge.expect("kong.client.get_consumer").returnsNothing()
        .expect("kong.client.get_credential").returnsNothing()
        .expect("kong.client.load_consumer", "6f1c1a8e-3f0b-4c7e-9d2a-5b8e7c6d4a21").returnsNothing();
    assertEquals(Optional.empty(), client().getConsumer());
    assertEquals(Optional.empty(), client().getCredential());
    assertEquals(Optional.empty(), client().loadConsumer("6f1c1a8e-3f0b-4c7e-9d2a-5b8e7c6d4a21"));
  }

  @Test
  void credentialReadsTheConsumerFromEitherShape() {
    bridge.expect("kong.client.get_credential").returns(Json.parse(KEY_AUTH_CREDENTIAL))
        .expect("kong.client.get_credential").returns(Map.of("id", "c2", "consumer_id", "u2"));
    Credential keyAuth = client().getCredential().orElseThrow();
    assertEquals("c1", keyAuth.id());
    assertEquals(Optional.of("6f1c1a8e-3f0b-4c7e-9d2a-5b8e7c6d4a21"), keyAuth.consumerId());
    assertEquals("secret", keyAuth.fields().get("key"));
    assertEquals(Optional.of("u2"), client().getCredential().orElseThrow().consumerId());
  }

  @Test
  void loadConsumerSendsTheSearchFlag() {
    bridge.expect("kong.client.load_consumer", "alice", true).returns(Json.parse(CONSUMER))
        .expect("kong.client.load_consumer", "x", false).fails("consumer not found");
    assertEquals(Optional.of("alice"), client().loadConsumer("alice", true).orElseThrow().username());
    assertEquals("kong.client.load_consumer: consumer not found",
        assertThrows(PdkException.class, () -> client().loadConsumer("x", false)).getMessage());
  }

  @Test
  void authenticateSendsEntitiesAsTables() {
    bridge.expect("kong.client.authenticate", Map.of("id", "u1")).returnsNothing()
        .expect("kong.client.authenticate", Map.of("id", "u1", "username", "alice"),
            Map.of("id", "c1", "consumer", Map.of("id", "u1"))).returnsNothing();
    client().authenticate(Consumer.ofId("u1"));
    Consumer alice = new Consumer("u1", Optional.of("alice"), Optional.empty(), List.of(),
        OptionalLong.empty(), OptionalLong.empty(), Map.of());
    client().authenticate(alice, Credential.of("c1", Optional.of("u1")));
    bridge.verify();
  }

  @Test
  void protocolIsOptional() {
    bridge.expect("kong.client.get_protocol").returns("http")
        .expect("kong.client.get_protocol", true).returns("https")
        .expect("kong.client.get_protocol").returnsNothing();
    assertEquals(Optional.of("http"), client().getProtocol());
    assertEquals(Optional.of("https"), client().getProtocol(true));
    assertEquals(Optional.empty(), client().getProtocol());
  }

  @Test
  void tlsFunctions() {
    bridge.expect("kong.client.tls.request_client_certificate").returns(true)
        .expect("kong.client.tls.disable_session_reuse").returnsNothing()
        .expect("kong.client.tls.get_full_client_certificate_chain").returns("-----BEGIN CERTIFICATE-----")
        .expect("kong.client.tls.get_full_client_certificate_chain").returnsNothing()
        .expect("kong.client.tls.set_client_verify", "FAILED:expired").returnsNothing();
    var tls = client().tls();
    tls.requestClientCertificate();
    assertThrows(PdkException.class, tls::disableSessionReuse);
    assertEquals(Optional.of("-----BEGIN CERTIFICATE-----"), tls.getFullClientCertificateChain());
    assertEquals(Optional.empty(), tls.getFullClientCertificateChain());
    tls.setClientVerify("FAILED:expired");
    bridge.verify();
  }
}
