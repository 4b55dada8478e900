package dev.kongpdk.testkit.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** JSON the way Kong's cjson reads and writes it, over the plain bridge values. */
public final class Json {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /**
   * Encodes a plain value as JSON text; byte arrays are written as UTF-8 strings, as Lua strings.
   *
   * @param value the value
   * @return the JSON text
   */
  public static String encode(Object value) {
    try {
      return MAPPER.writeValueAsString(textBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Decodes JSON text into plain values (maps, lists, strings, Long, Double, Boolean, null).
   *
   * @param text the JSON text
   * @return the value, or empty when the text is not valid JSON
   */
  public static Optional<Object> decode(byte[] text) {
    try {
      Object value = MAPPER.readValue(text, Object.class);
      return Optional.ofNullable(WireValues.fromPlugin(value));
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }

  private static Object textBytes(Object value) {
    if (value instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    if (value instanceof java.util.Map<?, ?> map) {
      java.util.Map<String, Object> copy = new java.util.LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), textBytes(v)));
      return copy;
    }
    if (value instanceof java.util.List<?> list) {
      return list.stream().map(Json::textBytes).toList();
    }
    return value;
  }
}
