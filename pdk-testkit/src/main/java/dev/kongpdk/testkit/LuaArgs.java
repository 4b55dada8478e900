package dev.kongpdk.testkit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The positional arguments of one PDK call, read with Kong's argument errors. */
final class LuaArgs {
  final String method;
  final List<Object> values;

  LuaArgs(String method, List<Object> values) {
    this.method = method;
    this.values = values;
  }

  Object opt(int i) {
    return i < values.size() ? values.get(i) : null;
  }

  String string(int i, String what) {
    Object v = opt(i);
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    throw new LuaError(method, what + " must be a string, got " + FakeKong.luaType(v));
  }

  Number number(int i, String what) {
    Object v = opt(i);
    if (v instanceof Long || v instanceof Double) {
      return (Number) v;
    }
    throw new LuaError(method, what + " must be a number, got " + FakeKong.luaType(v));
  }

  Long optLong(int i) {
    return opt(i) == null ? null : number(i, "argument #" + (i + 1)).longValue();
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> table(int i, String what) {
    Object v = opt(i);
    if (v instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    if (v instanceof List<?> l && l.isEmpty()) {
      return Map.of();
    }
    throw new LuaError(method, what + " must be a table, got " + FakeKong.luaType(v));
  }
}
