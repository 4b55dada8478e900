package dev.kongpdk.testkit.gateway.pb;

import java.util.Set;

/** For documentation tests: the Lua functions Kong serves over ProtoBuf, as the testkit reads them. */
public final class ProtobufReach {

  private ProtobufReach() {}

  /** Returns the Lua names of the functions in Kong's {@code service Kong}. */
  public static Set<String> luaNames() {
    return KongService.load().all().keySet();
  }
}
