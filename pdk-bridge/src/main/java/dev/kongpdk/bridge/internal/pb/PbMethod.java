package dev.kongpdk.bridge.internal.pb;

import com.google.protobuf.Descriptors.Descriptor;

/**
 * One PDK function Kong exposes over ProtoBuf: its Lua name, the rpc of Kong's {@code service
 * Kong} that declares it, and the message types of its argument and result.
 *
 * @param luaName the Lua function, for example {@code kong.request.get_header}
 * @param rpcName the rpc, for example {@code Request_GetHeader}
 * @param input the argument message type
 * @param output the result message type
 */
public record PbMethod(String luaName, String rpcName, Descriptor input, Descriptor output) {

  /** Returns the argument type's simple name, for example {@code String} or {@code ExitArgs}. */
  public String inputName() {
    return input.getName();
  }

  /** Returns the result type's simple name, for example {@code Struct}. */
  public String outputName() {
    return output.getName();
  }
}
