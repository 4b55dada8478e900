package dev.kongpdk;

import java.util.Optional;

/** {@code kong.cluster}: the Kong cluster this node belongs to. */
public interface Cluster {

  /**
   * {@code kong.cluster.get_id()}: the cluster's unique id.
   *
   * <p>Phases: any.
   *
   * @return the id, or empty when Kong could not read it (Kong 2.8 raises a {@link PdkException}
   *     with the reason instead)
   */
  @LuaFunction("kong.cluster.get_id")
  Optional<String> getId();
}
