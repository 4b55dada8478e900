package dev.kongpdk.entity;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A parsed vault reference such as {@code {vault://env/my-secret/key}}, as {@code
 * kong.vault.parse_reference()} returns it.
 *
 * @param name the vault name, for example {@code "env"}
 * @param resource the secret's resource, if any
 * @param key the key inside the secret, if any
 * @param version the secret's version, if given
 * @param config configuration given in the reference's query part
 */
public record VaultReference(
    String name,
    Optional<String> resource,
    Optional<String> key,
    OptionalLong version,
    Map<String, Object> config) {

  /** Checks that nothing is null and makes the map unmodifiable. */
  public VaultReference {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(version, "version");
    config = Map.copyOf(config);
  }
}
