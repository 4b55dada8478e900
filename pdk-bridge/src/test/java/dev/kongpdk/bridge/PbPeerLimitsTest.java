package dev.kongpdk.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.bridge.internal.limits.PeerLimits;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.ExitArgs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The peer limits on Kong's ProtoBuf framing, over real sockets. */
@Timeout(30)
class PbPeerLimitsTest {

  @TempDir Path dir;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
  }

  private PluginServer serve(PeerLimits limits) throws Exception {
    PluginServer server = PluginServer.builder().limits(limits)
        .plugin(new ProtobufDescriptor(new GreeterPlugin.Descriptor()))
        .socket(dir.resolve("pb.socket")).start();
    closeables.add(server);
    return server;
  }

  private KongPbWire connect(PluginServer server) throws Exception {
    KongPbWire wire = new KongPbWire(server.socket());
    closeables.add(wire);
    return wire;
  }

  private static void assertServes(PluginServer server) throws Exception {
    try (KongPbWire kong = new KongPbWire(server.socket())) {
      assertTrue(kong.startInstance("greeter", "{}") > 0);
    }
  }

  private static byte[] length(long length) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) length).array();
  }

  @Test
  void framesLargerThanTheSharedBudgetAreRefusedOnTheirLength() throws Exception {
    // each frame fits the frame limit, but two together do not fit the budget
    PluginServer server = serve(PeerLimitsTest.LAUNCHER.withMaxMessageBytes(40 << 20)
        .withMaxBufferedBytes(64 << 20));
    KongPbWire first = connect(server);
    KongPbWire second = connect(server);
    first.rawWrite(length(40 << 20));
    first.rawWrite(new byte[1024]); // the frame has started: its length is reserved
    second.rawWrite(length(40 << 20));
    assertTrue(second.closedByServer());
    assertEquals(1L, server.counters().get("MessagesOverLimit"));
    assertServes(server);
  }

  @Test
  void aStartedFrameMustArriveInTimeButIdleConnectionsStay() throws Exception {
    PluginServer server = serve(PeerLimitsTest.LAUNCHER.withReadTimeout(Duration.ofMillis(300)));
    KongPbWire idle = connect(server);
    KongPbWire partial = connect(server);
    partial.rawWrite(length(100));
    partial.rawWrite(new byte[10]);
    assertTrue(partial.closedByServer());
    assertEquals(1L, server.counters().get("ReadTimeouts"));
    assertTrue(idle.startInstance("greeter", "{}") > 0);
  }

  @Test
  void eventsBeyondTheConnectionCapGetThePluginsFailurePolicy() throws Exception {
    PluginServer server = serve(PeerLimitsTest.LAUNCHER.withMaxConnections(1));
    KongPbWire first = connect(server);
    int id = first.startInstance("greeter", "{}");
    try (KongPbWire shed = new KongPbWire(server.socket())) {
      shed.handleEvent(id, "access");
      KongPbWire.PdkCall exit = shed.expectCall("kong.response.exit");
      assertEquals(500, ExitArgs.parseFrom(exit.args()).getStatus());
      assertTrue(shed.closedByServer());
    }
    assertEquals(1L, server.counters().get("ConnectionsShed"));
    assertEquals(1L, server.counters().get("EventsShed"));
    assertEquals(0L, server.counters().get("EventsStarted"));
    first.handleEvent(id, "access"); // the connection within the cap is served as ever
    first.expectCall("kong.request.get_header");
  }

  /** {@code count} unknown varint fields (number 1000, value 200): 4 bytes each on the wire. */
  private static byte[] unknownVarints(int count) {
    byte[] field = {(byte) 0xC0, 0x3E, (byte) 0xC8, 0x01};
    byte[] bytes = new byte[count * field.length];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = field[i % field.length];
    }
    return bytes;
  }

  @Test
  void aFrameOfSmallFieldsIsCountedAtItsDecodedSize() throws Exception {
    // 12 MiB on the wire, under the frame limit; parsed, a boxed value and a list slot per field
    // (a 16 MiB one ran the launcher's 128 MiB heap out)
    PluginServer server = serve(PeerLimitsTest.LAUNCHER);
    KongPbWire kong = connect(server);
    kong.writeFrame(unknownVarints(3 << 20));
    assertTrue(kong.closedByServer());
    assertEquals(1L, server.counters().get("MessagesOverLimit"));
    assertEquals(0L, server.counters().get("MalformedMessages"));
    assertServes(server);
  }

  @Test
  void aReplyOfSmallFieldsEndsItsEventAndTheServerServes() throws Exception {
    PluginServer server = serve(PeerLimitsTest.LAUNCHER);
    KongPbWire kong = connect(server);
    int id = kong.startInstance("greeter", "{}");
    kong.handleEvent(id, "access");
    kong.expectCall("kong.request.get_header");
    kong.writeFrame(unknownVarints(3 << 20)); // the reply, a String message full of unknown fields
    assertTrue(kong.closedByServer());
    assertEquals(1L, server.counters().get("MessagesOverLimit"));
    assertEquals(0L, server.counters().get("EventsFailed"));
    assertServes(server);
  }
}
