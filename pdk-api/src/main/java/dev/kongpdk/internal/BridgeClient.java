package dev.kongpdk.internal;

import dev.kongpdk.Bridge;
import dev.kongpdk.Client;
import dev.kongpdk.ClientTls;
import dev.kongpdk.entity.Consumer;
import dev.kongpdk.entity.Credential;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

final class BridgeClient implements Client {

  private final Bridge bridge;
  private final ClientTls tls;

  BridgeClient(Bridge bridge) {
    this.bridge = bridge;
    this.tls = new BridgeClientTls(bridge);
  }

  @Override
  public ClientTls tls() {
    return tls;
  }

  @Override
  public String getIp() {
    return Values.requiredString("kong.client.get_ip", bridge.call("kong.client.get_ip"));
  }

  @Override
  public String getForwardedIp() {
    String method = "kong.client.get_forwarded_ip";
    return Values.requiredString(method, bridge.call(method));
  }

  @Override
  public int getPort() {
    return Values.requiredInt("kong.client.get_port", bridge.call("kong.client.get_port"));
  }

  @Override
  public int getForwardedPort() {
    String method = "kong.client.get_forwarded_port";
    return Values.requiredInt(method, bridge.call(method));
  }

  @Override
  public Optional<Credential> getCredential() {
    String method = "kong.client.get_credential";
    return Entities.credential(method, bridge.call(method));
  }

  @Override
  public Optional<Consumer> loadConsumer(String consumerId) {
    String method = "kong.client.load_consumer";
    return Entities.consumer(method, bridge.call(method, Values.requireNonNull("consumerId", consumerId)));
  }

  @Override
  public Optional<Consumer> loadConsumer(String consumerIdOrUsername, boolean searchByUsername) {
    String method = "kong.client.load_consumer";
    Values.requireNonNull("consumerIdOrUsername", consumerIdOrUsername);
    return Entities.consumer(method, bridge.call(method, consumerIdOrUsername, searchByUsername));
  }

  @Override
  public Optional<Consumer> getConsumer() {
    String method = "kong.client.get_consumer";
    return Entities.consumer(method, bridge.call(method));
  }

  @Override
  public void authenticate(Consumer consumer) {
    bridge.call("kong.client.authenticate", table(Values.requireNonNull("consumer", consumer)));
  }

  @Override
  public void authenticate(Consumer consumer, Credential credential) {
    Values.requireNonNull("consumer", consumer);
    Values.requireNonNull("credential", credential);
    bridge.call("kong.client.authenticate", table(consumer), table(credential));
  }

  @Override
  public Optional<String> getProtocol() {
    String method = "kong.client.get_protocol";
    return Values.optionalString(method, bridge.call(method));
  }

  @Override
  public Optional<String> getProtocol(boolean allowTerminated) {
    String method = "kong.client.get_protocol";
    return Values.optionalString(method, bridge.call(method, allowTerminated));
  }

  /** The consumer as a Lua table: every field Kong sent, with the modelled fields on top. */
  private static Map<String, Object> table(Consumer consumer) {
    Map<String, Object> table = new LinkedHashMap<>(consumer.fields());
    table.put("id", consumer.id());
    consumer.username().ifPresent(username -> table.put("username", username));
    consumer.customId().ifPresent(customId -> table.put("custom_id", customId));
    return table;
  }

  private static Map<String, Object> table(Credential credential) {
    Map<String, Object> table = new LinkedHashMap<>(credential.fields());
    table.put("id", credential.id());
    credential.consumerId().ifPresent(id -> {
      if (!table.containsKey("consumer")) {
        table.put("consumer", Map.of("id", id));
      }
    });
    return table;
  }
}
