package dev.kongpdk.plugin;

/**
 * The protocol Kong speaks to a plugin's server, chosen per plugin with {@link
 * KongPlugin#protocol()}. Plugin code is the same with either.
 */
public enum Protocol {

  /**
   * MessagePack-RPC ({@code MsgPack:1}), the default: reaches every Lua PDK function, including
   * those the typed API does not cover, through {@code kong.call}.
   */
  MSGPACK("MsgPack:1"),

  /**
   * Kong's ProtoBuf protocol ({@code ProtoBuf:1}): costs Kong less CPU per PDK call, but reaches
   * only the functions declared in Kong's {@code pluginsocket.proto}; any other call fails at once
   * with a {@link dev.kongpdk.PdkException} naming it.
   */
  PROTOBUF("ProtoBuf:1");

  private final String wireName;

  Protocol(String wireName) {
    this.wireName = wireName;
  }

  /** Returns the name the plugin server's {@code -dump} gives Kong, for example {@code MsgPack:1}. */
  public String wireName() {
    return wireName;
  }
}
