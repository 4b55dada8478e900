package dev.kongpdk.internal;

import dev.kongpdk.Bridge;
import dev.kongpdk.Vault;
import dev.kongpdk.entity.VaultReference;
import java.util.Map;
import java.util.Optional;

final class BridgeVault implements Vault {

  private final Bridge bridge;

  BridgeVault(Bridge bridge) {
    this.bridge = bridge;
  }

  @Override
  public boolean isReference(String reference) {
    String method = "kong.vault.is_reference";
    return Values.requiredBoolean(method, bridge.call(method, Values.requireNonNull("reference", reference)));
  }

  @Override
  public Optional<VaultReference> parseReference(String reference) {
    String method = "kong.vault.parse_reference";
    return Entities.vaultReference(method, bridge.call(method, Values.requireNonNull("reference", reference)));
  }

  @Override
  public Optional<String> get(String reference) {
    String method = "kong.vault.get";
    return Values.optionalString(method, bridge.call(method, Values.requireNonNull("reference", reference)));
  }

  @Override
  public Map<String, Object> update(Map<String, ?> options) {
    String method = "kong.vault.update";
    return Values.map(method, bridge.call(method, Values.toLua("options", Values.requireNonNull("options", options))));
  }

  @Override
  public void flush() {
    bridge.call("kong.vault.flush");
  }
}
