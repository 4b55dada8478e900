package dev.kongpdk.bridge.internal.pb;


/**
 * One PDK function Kong exposes over ProtoBuf: its Lua name, the rpc of Kong's {@code service
 * Kong} that declares it, and the message types of its argument and result.
 *
 * @param luaName the Lua function, for example {@code kong.request.get_header}
 * @param rpcName the rpc, for example {@code Request_GetHeader}
 * @param inputName the argument's message type, for example {@code String} or {@code ExitArgs}
 * @param outputName the result's message type, for example {@code Struct}
 */
public record PbMethod(String luaName, String rpcName, String inputName, String outputName) {}
