package dev.kongpdk.api;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Kong-shaped payloads written as JSON in tests, read into the plain values a bridge carries. */
final class Json {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static Object parse(String json) {
    try {
      return MAPPER.readValue(json, Object.class);
    } catch (Exception e) {
      throw new IllegalArgumentException("bad JSON in test: " + json, e);
    }
  }
}
