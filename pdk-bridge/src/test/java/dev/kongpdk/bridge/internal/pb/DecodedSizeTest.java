package dev.kongpdk.bridge.internal.pb;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.CmdHandleEvent;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.CmdStartInstance;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.ListValue;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.RpcCall;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.Struct;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.Value;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DecodedSizeTest {

  @Test
  void kongsEventCallIsSmall() throws Exception {
    byte[] call = RpcCall.newBuilder().setSequence(7).setCmdHandleEvent(
        CmdHandleEvent.newBuilder().setInstanceId(3).setEventName("access")).build().toByteArray();
    long size = DecodedSize.of(call, ProtoSchema.kong().type("RpcCall"));
    assertTrue(size > 2 * DecodedSize.PER_MESSAGE && size < 1024, "estimated " + size);
  }

  @Test
  void aConfigCostsAboutThreeTimesItsBytes() throws Exception {
    byte[] config = new byte[100_000];
    Arrays.fill(config, (byte) 'a');
    byte[] call = RpcCall.newBuilder().setCmdStartInstance(CmdStartInstance.newBuilder()
        .setName("greeter").setConfig(ByteString.copyFrom(config))).build().toByteArray();
    long size = DecodedSize.of(call, ProtoSchema.kong().type("RpcCall"));
    assertTrue(size >= 100_000 && size < 400_000, "estimated " + size);
  }

  @Test
  void smallUnknownFieldsCostTenTimesTheirBytes() throws Exception {
    byte[] field = {(byte) 0xC0, 0x3E, (byte) 0xC8, 0x01}; // field 1000, varint 200
    byte[] bytes = new byte[field.length * 10_000];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = field[i % field.length];
    }
    assertTrue(DecodedSize.of(bytes, ProtoSchema.kong().type("RpcCall")) >= 10L * bytes.length);
  }

  @Test
  void emptyGroupsAreCountedAsWholeMessages() throws Exception {
    byte[] group = {(byte) 0xC3, 0x3E, (byte) 0xC4, 0x3E}; // start and end of group 1000
    byte[] bytes = new byte[group.length * 10_000];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = group[i % group.length];
    }
    assertTrue(DecodedSize.of(bytes, null)
        >= 10_000 * (DecodedSize.PER_FIELD + DecodedSize.PER_MESSAGE));
  }

  @Test
  void nestedKnownMessagesAreCountedEachOne() throws Exception {
    ListValue.Builder list = ListValue.newBuilder();
    for (int i = 0; i < 1000; i++) {
      list.addValues(Value.getDefaultInstance());
    }
    byte[] struct = Struct.newBuilder().addFields(Struct.Field.newBuilder()
        .setKey(ByteString.copyFromUtf8("a")).setValue(Value.newBuilder().setListValue(list)))
        .build().toByteArray();
    assertTrue(DecodedSize.of(struct, ProtoSchema.kong().type("Struct"))
        >= 1000 * (DecodedSize.PER_FIELD + DecodedSize.PER_MESSAGE));
  }

  @Test
  void bytesTheParserRefusesAreRefusedToo() {
    byte[] truncated = {0x0A, 0x10, 1, 2, 3}; // a field of 16 bytes with 3 present
    assertThrows(InvalidProtocolBufferException.class,
        () -> DecodedSize.of(truncated, ProtoSchema.kong().type("RpcCall")));
    byte[] unbalanced = {(byte) 0xC3, 0x3E}; // a group that never ends
    assertThrows(InvalidProtocolBufferException.class, () -> DecodedSize.of(unbalanced, null));
    byte[] stray = {(byte) 0xC4, 0x3E}; // the end of a group that never started
    assertThrows(InvalidProtocolBufferException.class, () -> DecodedSize.of(stray, null));
    byte[] deep = new byte[2 * 200];
    for (int i = 0; i < 200; i++) { // 200 nested groups: past the parser's 100 levels
      deep[2 * i] = (byte) 0xC3;
      deep[2 * i + 1] = 0x3E;
    }
    assertThrows(InvalidProtocolBufferException.class, () -> DecodedSize.of(deep, null));
  }
}
