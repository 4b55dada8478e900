package dev.kongpdk.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.TreeSet;

/**
 * Compares a Java value (canonical form, as JSON) with a Lua value (as Kong's trace shows it), by
 * the rules of the bridge between them: an absent value equals {@code null}; numbers compare by
 * value; Kong packs every empty table as an empty array, so an empty array equals an empty map;
 * bytes equal the Lua string with the same bytes.
 */
public final class Same {

  private Same() {}

  /** Returns {@code null} when equal, otherwise where they first differ. */
  public static String problem(JsonNode java, JsonNode lua) {
    return diff("", java, lua);
  }

  private static String diff(String at, JsonNode java, JsonNode lua) {
    boolean javaNull = java == null || java.isNull() || java.isMissingNode();
    boolean luaNull = lua == null || lua.isNull() || lua.isMissingNode();
    if (!javaNull && luaNull && java.isContainerNode() && java.isEmpty()) {
      return null; // the typed API returns an empty collection for an absent one
    }
    if (javaNull || luaNull) {
      return javaNull && luaNull ? null : where(at) + "Java " + show(java) + ", Lua " + show(lua);
    }
    if (java.isObject() && java.size() == 1 && java.has("$bytes") && !lua.has("$bytes")) {
      byte[] bytes = Base64.getDecoder().decode(java.get("$bytes").asText());
      String text = utf8(bytes);
      return lua.isTextual() && text != null && text.equals(lua.asText()) ? null
          : where(at) + "Java bytes " + (text == null ? "(not UTF-8)" : show(text)) + ", Lua " + show(lua);
    }
    if (java.isNumber() && lua.isNumber()) {
      double a = java.asDouble();
      double b = lua.asDouble();
      return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.max(Math.abs(a), Math.abs(b))) ? null
          : where(at) + "Java " + java + ", Lua " + lua;
    }
    if ((java.isContainerNode() && java.isEmpty()) && (lua.isContainerNode() && lua.isEmpty())) {
      return null;
    }
    if (java.isObject() && lua.isObject()) {
      TreeSet<String> keys = new TreeSet<>();
      java.fieldNames().forEachRemaining(keys::add);
      lua.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        String d = diff(at + "." + key, java.get(key), lua.get(key));
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    if (java.isArray() && lua.isArray()) {
      if (java.size() != lua.size()) {
        return where(at) + "Java has " + java.size() + " elements, Lua " + lua.size() + ": Java " + show(java)
            + ", Lua " + show(lua);
      }
      Iterator<JsonNode> a = java.elements();
      Iterator<JsonNode> b = lua.elements();
      for (int i = 0; a.hasNext(); i++) {
        String d = diff(at + "[" + i + "]", a.next(), b.next());
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    return java.equals(lua) ? null : where(at) + "Java " + show(java) + ", Lua " + show(lua);
  }

  private static String where(String at) {
    return at.isEmpty() ? "" : "at " + at.substring(1) + ": ";
  }

  static String show(Object value) {
    String text = value == null ? "nothing" : value instanceof JsonNode n && (n.isMissingNode() || n.isNull()) ? "nothing"
        : value instanceof String s ? '"' + s + '"' : value.toString();
    return text.length() > 120 ? text.substring(0, 117) + "..." : text;
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

}
