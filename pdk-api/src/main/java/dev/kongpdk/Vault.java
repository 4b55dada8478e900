package dev.kongpdk;

import dev.kongpdk.entity.VaultReference;
import java.util.Map;
import java.util.Optional;

/** {@code kong.vault}: secrets referenced as {@code {vault://name/resource/key}}. */
public interface Vault {

  /**
   * {@code kong.vault.is_reference(reference)}: whether a string is a vault reference.
   *
   * <p>Phases: any.
   *
   * @param reference the string
   * @return {@code true} for a reference
   * @throws PdkException when Kong answers nothing
   */
  @LuaFunction("kong.vault.is_reference")
  boolean isReference(String reference);

  /**
   * {@code kong.vault.parse_reference(reference)}: the parts of a vault reference.
   *
   * <p>Phases: any.
   *
   * @param reference the reference
   * @return the parts, or empty when the string is not a valid reference (Kong 2.8 raises a {@link
   *     PdkException} with the reason instead)
   */
  @LuaFunction("kong.vault.parse_reference")
  Optional<VaultReference> parseReference(String reference);

  /**
   * {@code kong.vault.get(reference)}: the secret a reference points to.
   *
   * <p>Phases: any.
   *
   * @param reference the reference
   * @return the secret, or empty when it cannot be resolved (Kong 2.8 raises a {@link
   *     PdkException} with the reason instead)
   */
  @LuaFunction("kong.vault.get")
  Optional<String> get(String reference);

  /**
   * {@code kong.vault.update(options)}: a copy of a configuration table whose referenceable fields
   * (as recorded in its {@code $refs}) are resolved again.
   *
   * <p>Phases: any.
   *
   * @param options the configuration table
   * @return the updated table; empty when Kong answers nothing
   * @throws IllegalArgumentException when a value has no Lua counterpart
   */
  @LuaFunction(value = "kong.vault.update", since = "3")
  Map<String, Object> update(Map<String, ?> options);

  /**
   * {@code kong.vault.flush()}: drops cached secrets, so they are read again on next use.
   *
   * <p>Phases: any.
   */
  @LuaFunction(value = "kong.vault.flush", since = "3")
  void flush();
}
