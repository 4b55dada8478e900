package dev.kongpdk.entity;

import java.util.List;
import java.util.Map;

/**
 * The regex captures of the matched route path, as {@code kong.request.get_uri_captures()} returns
 * them.
 *
 * @param unnamed the unnamed captures in order; element 0 is the whole match
 * @param named the named captures by name
 */
public record UriCaptures(List<String> unnamed, Map<String, String> named) {

  /** Makes the collections unmodifiable. */
  public UriCaptures {
    unnamed = List.copyOf(unnamed);
    named = Map.copyOf(named);
  }
}
