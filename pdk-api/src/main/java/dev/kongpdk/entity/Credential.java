package dev.kongpdk.entity;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The credential the client authenticated with, as {@code kong.client.get_credential()} returns it.
 * Its other fields depend on the authentication plugin (a key-auth credential has {@code key}, a
 * JWT credential {@code algorithm}, ...) and are in {@link #fields()}.
 *
 * @param id the credential's id
 * @param consumerId the id of the consumer it belongs to, if any (Kong sends {@code consumer.id}
 *     or {@code consumer_id})
 * @param fields every field as Kong sent it
 */
public record Credential(String id, Optional<String> consumerId, Map<String, Object> fields) {

  /** Checks that nothing is null and makes the map unmodifiable. */
  public Credential {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(consumerId, "consumerId");
    fields = Map.copyOf(fields);
  }

  /**
   * A credential with an id and, optionally, the consumer it belongs to, for {@code
   * kong.client.authenticate}.
   *
   * @param id the credential's id
   * @param consumerId the consumer's id, or empty
   * @return the credential
   */
  public static Credential of(String id, Optional<String> consumerId) {
    return new Credential(id, consumerId, Map.of());
  }
}
