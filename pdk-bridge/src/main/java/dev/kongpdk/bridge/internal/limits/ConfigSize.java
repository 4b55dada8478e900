package dev.kongpdk.bridge.internal.limits;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Estimates the heap a plugin config's JSON takes once parsed into a tree, from one streaming pass
 * over it that builds nothing: what the memory budget is charged before the config is parsed.
 *
 * <p>A tree can be many times its text: {@code [[],[],[]]} is three bytes per array node, each a
 * node object with its own list. A config of 2 MB of that parses to about 50 MiB; three at once
 * ran the launcher's 128 MiB heap out. Counted here: each object or array at {@link
 * #PER_CONTAINER}, each other value or field name at {@link #PER_VALUE}, each character of a
 * string or name twice more (UTF-16 at worst). JSON the parser refuses is counted up to where it
 * fails, which is as far as parsing it would get.
 */
public final class ConfigSize {

  /** An object or array node, with its map or list. */
  static final long PER_CONTAINER = 96;

  /** A value node, or a field name's entry in its object, with its slot there. */
  static final long PER_VALUE = 40;

  private static final JsonFactory JSON = new JsonFactory();

  private ConfigSize() {}

  /** Returns the estimated heap of {@code json} parsed into a tree (0 for null). */
  public static long of(String json) {
    if (json == null) {
      return 0;
    }
    long size = 0;
    try (JsonParser parser = JSON.createParser(json)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        size += switch (token) {
          case START_OBJECT, START_ARRAY -> PER_CONTAINER;
          case END_OBJECT, END_ARRAY -> 0;
          case FIELD_NAME, VALUE_STRING -> PER_VALUE + 2L * parser.getTextLength();
          default -> PER_VALUE;
        };
      }
    } catch (IOException e) {
      // not JSON from here on: parsing it fails at the same place
    }
    return size;
  }
}
