package dev.kongpdk.bridge.internal.pb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.kongpdk.PdkException;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.ExitArgs;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.RawBodyResult;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.Struct;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PdkCodecTest {

  @TempDir Path dir;

  private static PbMethod method(String lua) {
    return PbMethods.kong().find(lua).orElseThrow(() -> new AssertionError("no " + lua));
  }

  @ParameterizedTest
  @CsvSource({
    "Request_GetHeader, kong.request.get_header",
    "Nginx_GetTls1VersionStr, kong.nginx.get_tls1_version_str",
    "Service_Request_SetRawBody, kong.service.request.set_raw_body",
    "Service_Response_GetRawBody, kong.service.response.get_raw_body",
    "Client_GetForwardedIp, kong.client.get_forwarded_ip",
    "Log_SetSerializeValue, kong.log.set_serialize_value",
    "Ctx_GetShared, kong.ctx.shared.get",
    "Ctx_SetShared, kong.ctx.shared.set",
  })
  void luaNamesFollowKongsRule(String rpc, String lua) {
    PbMethod method = method(lua);
    assertEquals(rpc, method.rpcName());
  }

  @Test
  void anEmptyReplyIsNilForFunctionsThatMayReturnNilAndEmptyForTheOthers() {
    assertNull(PdkCodec.decodeReply(method("kong.request.get_header"), new byte[0]));
    assertNull(PdkCodec.decodeReply(method("kong.service.response.get_status"), new byte[0]));
    assertEquals("", PdkCodec.decodeReply(method("kong.request.get_raw_query"), new byte[0]));
    assertEquals(0L, PdkCodec.decodeReply(method("kong.response.get_status"), new byte[0]));
    assertEquals(false, PdkCodec.decodeReply(method("kong.ip.is_trusted"), new byte[0]));
    assertNull(PdkCodec.decodeReply(method("kong.ctx.shared.get"), new byte[0]));
    assertNull(PdkCodec.decodeReply(method("kong.router.get_route"), new byte[0]));
  }

  @Test
  void aRawBodyErrorFromKongIsAPdkException() {
    byte[] reply = RawBodyResult.newBuilder()
        .setError(ByteString.copyFromUtf8("Can't read request body")).build().toByteArray();
    PdkException e = assertThrows(PdkException.class,
        () -> PdkCodec.decodeReply(method("kong.request.get_raw_body"), reply));
    assertEquals("kong.request.get_raw_body", e.method());
    assertTrue(e.getMessage().contains("Can't read request body"), e.getMessage());
  }

  @Test
  void aRawBodyBufferedToAFileIsReadFromIt() throws Exception {
    Path file = Files.write(dir.resolve("body"), new byte[] {1, 2, 3});
    byte[] reply = RawBodyResult.newBuilder()
        .setBodyFilepath(ByteString.copyFromUtf8(file.toString())).build().toByteArray();
    assertArrayEquals(new byte[] {1, 2, 3},
        (byte[]) PdkCodec.decodeReply(method("kong.request.get_raw_body"), reply));

    byte[] missing = RawBodyResult.newBuilder()
        .setBodyFilepath(ByteString.copyFromUtf8(dir.resolve("gone").toString())).build().toByteArray();
    PdkException e = assertThrows(PdkException.class,
        () -> PdkCodec.decodeReply(method("kong.request.get_raw_body"), missing));
    assertTrue(e.getMessage().contains("gone"), e.getMessage());
  }

  @Test
  void kong28ArraysEncodedAsStructsAreReadAsLists() {
    // Kong 2.8's wrap turned every Lua array into a struct keyed "1", "2", ...
    Value two = Value.newBuilder().setStructValue(Struct.newBuilder()
        .addFields(field("1", "one")).addFields(field("2", "two"))).build();
    byte[] reply = Struct.newBuilder()
        .addFields(Struct.Field.newBuilder().setKey(ByteString.copyFromUtf8("x-multi")).setValue(two))
        .build().toByteArray();
    assertEquals(Map.of("x-multi", List.of("one", "two")),
        PdkCodec.decodeReply(method("kong.request.get_headers"), reply));
  }

  @Test
  void headerValuesThatAreNotUtf8AreDecodedNotRejected() {
    Struct.Field latin1 = Struct.Field.newBuilder()
        .setKey(ByteString.copyFromUtf8("x-name"))
        .setValue(Value.newBuilder().setStringValue(ByteString.copyFrom(new byte[] {'J', (byte) 0xe9})))
        .build();
    Object headers = PdkCodec.decodeReply(
        method("kong.request.get_headers"), Struct.newBuilder().addFields(latin1).build().toByteArray());
    assertEquals(List.of("J\uFFFD"), ((Map<?, ?>) headers).get("x-name"));
  }

  @Test
  void exitWithBytesAndAnExplicitContentType() throws Exception {
    byte[] args = PdkCodec.encodeArgs(method("kong.response.exit"),
        200L, Map.of("a", 1L), Map.of("content-type", "text/plain"));
    ExitArgs exit = ExitArgs.parseFrom(args);
    assertEquals("{\"a\":1}", exit.getBody().toStringUtf8());
    assertEquals(1, exit.getHeaders().getFieldsCount(), "Kong's JSON content type is not added");

    ExitArgs raw = ExitArgs.parseFrom(PdkCodec.encodeArgs(method("kong.response.exit"),
        418L, new byte[] {(byte) 0xff}));
    assertArrayEquals(new byte[] {(byte) 0xff}, raw.getBody().toByteArray());
  }

  @Test
  void argumentsThatDoNotFitKongsMessageAreRefusedWithTheFunctionName() {
    PdkException tooMany = assertThrows(PdkException.class,
        () -> PdkCodec.encodeArgs(method("kong.node.get_memory_stats"), "m"));
    assertEquals("kong.node.get_memory_stats", tooMany.method());
    assertTrue(tooMany.getMessage().contains("MessagePack"), tooMany.getMessage());

    PdkException overflow = assertThrows(PdkException.class,
        () -> PdkCodec.encodeArgs(method("kong.response.set_status"), 1L << 40));
    assertTrue(overflow.getMessage().contains("int32"), overflow.getMessage());

    PdkException notPlain = assertThrows(PdkException.class,
        () -> PdkCodec.encodeArgs(method("kong.response.set_header"), "x", new Object()));
    assertInstanceOf(IllegalArgumentException.class, notPlain.getCause());
  }

  @Test
  void trailingNullArgumentsAndAMissingOptionalArgumentAreNotSent() throws Exception {
    byte[] args = PdkCodec.encodeArgs(method("kong.request.get_headers"), (Object) null);
    assertEquals(0, args.length, "Int{} without v: Kong passes nil, the function's default");
    assertEquals(0, PdkCodec.encodeArgs(method("kong.request.get_scheme"), null, null).length);
  }

  @Test
  void integralNumbersComeBackAsLongsAsOverMessagePack() {
    byte[] whole = PluginSocket.Number.newBuilder().setV(2.0).build().toByteArray();
    assertEquals(2L, PdkCodec.decodeReply(method("kong.nginx.req_start_time"), whole));
    byte[] value = Value.newBuilder().setNumberValue(0.5).build().toByteArray();
    assertEquals(0.5, PdkCodec.decodeReply(method("kong.nginx.get_ctx"), value));
  }

  @Test
  void aReplyOfTheWrongShapeIsAPdkException() {
    PdkException e = assertThrows(PdkException.class,
        () -> PdkCodec.decodeReply(method("kong.request.get_headers"), new byte[] {(byte) 0xff}));
    assertTrue(e.getMessage().contains("Struct"), e.getMessage());
  }

  private static Struct.Field field(String key, String value) {
    return Struct.Field.newBuilder()
        .setKey(ByteString.copyFromUtf8(key))
        .setValue(Value.newBuilder().setStringValue(ByteString.copyFromUtf8(value)))
        .build();
  }
}
