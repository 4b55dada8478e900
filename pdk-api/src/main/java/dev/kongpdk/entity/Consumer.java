package dev.kongpdk.entity;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Kong consumer, as {@code kong.client.get_consumer()} and {@code kong.client.load_consumer()}
 * return it.
 *
 * @param id the consumer's UUID
 * @param username the username, if set
 * @param customId the custom id, if set
 * @param tags the consumer's tags
 * @param createdAt creation time, seconds since the epoch
 * @param updatedAt last update time, seconds since the epoch (Kong 3.x)
 * @param fields every field as Kong sent it
 */
public record Consumer(
    String id,
    Optional<String> username,
    Optional<String> customId,
    List<String> tags,
    OptionalLong createdAt,
    OptionalLong updatedAt,
    Map<String, Object> fields) {

  /** Checks that nothing is null and makes the collections unmodifiable. */
  public Consumer {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(customId, "customId");
    tags = List.copyOf(tags);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    fields = Map.copyOf(fields);
  }

  /**
   * A consumer known only by its id, for {@code kong.client.authenticate}.
   *
   * @param id the consumer's UUID
   * @return the consumer
   */
  public static Consumer ofId(String id) {
    return new Consumer(id, Optional.empty(), Optional.empty(), List.of(), OptionalLong.empty(),
        OptionalLong.empty(), Map.of());
  }
}
