package dev.kongpdk.testkit.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Vault references as {@code kong.vault.parse_reference} reads them. */
public final class VaultReferences {

  private VaultReferences() {}

  /** {@code {vault://name/resource/key?version=n}} into its parts; nil (error dropped) when malformed. */
  public static Map<String, Object> parse(String reference) {
    if (!reference.startsWith("{vault://") || !reference.endsWith("}")) {
      return null;
    }
    String body = reference.substring("{vault://".length(), reference.length() - 1);
    String query = "";
    int q = body.indexOf('?');
    if (q >= 0) {
      query = body.substring(q + 1);
      body = body.substring(0, q);
    }
    String[] parts = body.split("/", 3);
    if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      return null;
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("name", parts[0]);
    result.put("resource", parts[1]);
    if (parts.length == 3 && !parts[2].isEmpty()) {
      result.put("key", parts[2]);
    }
    for (Map.Entry<String, List<Object>> e : FormArgs.parse(query, 100).entrySet()) {
      if (e.getKey().equals("version") && e.getValue().get(0) instanceof String v) {
        try {
          result.put("version", Long.parseLong(v));
        } catch (NumberFormatException ignored) {
          return null;
        }
      }
    }
    return result;
  }
}
