package dev.kongpdk.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.bridge.internal.pb.PbService;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/** When a new connection's first bytes are ready for its reader, on each protocol. */
class FirstMessageFramingTest {

  private static final int MOST = 8192;

  private static byte[] request() throws IOException {
    try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
      out.packArrayHeader(4).packInt(0).packInt(7).packString("plugin.HandleEvent")
          .packArrayHeader(1).packMapHeader(2).packString("InstanceId").packInt(1)
          .packString("EventName").packString("access");
      return out.toByteArray();
    }
  }

  private static boolean msgpackReady(byte[] bytes, int length) {
    return MsgpackServer.firstMessageReady(ByteBuffer.wrap(bytes, 0, length), MOST);
  }

  @Test
  void aMessagePackRequestIsReadyOnlyOnceWhole() throws IOException {
    byte[] request = request();
    for (int length = 0; length < request.length; length++) {
      assertFalse(msgpackReady(request, length), length + " of " + request.length + " bytes");
    }
    assertTrue(msgpackReady(request, request.length));
  }

  @Test
  void aMessagePackHeaderDeclaringMoreThanCanWaitIsReadyAtOnce() throws IOException {
    try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
      out.packArrayHeader(4).packInt(0).packInt(1).packString("plugin.StartInstance")
          .packArrayHeader(1).packMapHeader(2).packString("Config").packRawStringHeader(MOST);
      assertTrue(msgpackReady(out.toByteArray(), out.toByteArray().length), "a large string");
    }
    try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
      out.packArrayHeader(1 << 20);
      assertTrue(msgpackReady(out.toByteArray(), out.toByteArray().length), "a large array");
    }
    try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
      out.packArrayHeader(2).packRawStringHeader(100); // fits: it waits for its bytes
      assertFalse(msgpackReady(out.toByteArray(), out.toByteArray().length));
    }
  }

  @Test
  void bytesThatAreNotMessagePackAreReadyForTheReaderToRefuse() {
    assertTrue(msgpackReady(new byte[] {(byte) 0xc1}, 1)); // never used in MessagePack
  }

  private static ByteBuffer frame(int declared, int bodyBytes) {
    ByteBuffer bytes = ByteBuffer.allocate(4 + bodyBytes).order(ByteOrder.LITTLE_ENDIAN);
    bytes.putInt(declared).put(new byte[bodyBytes]);
    return bytes.flip();
  }

  @Test
  void aProtoBufFrameIsReadyOnceWholeOrWhenItCannotFitTheWait() {
    assertFalse(PbService.firstFrameReady(ByteBuffer.wrap(new byte[] {10, 0}), MOST));
    assertFalse(PbService.firstFrameReady(frame(10, 9), MOST));
    assertTrue(PbService.firstFrameReady(frame(10, 10), MOST));
    assertTrue(PbService.firstFrameReady(frame(MOST, 0), MOST), "too large to wait for");
    assertTrue(PbService.firstFrameReady(frame(-1, 0), MOST), "4 GiB declared");
    assertFalse(PbService.firstFrameReady(frame(MOST - 4, 100), MOST));
  }

  @Test
  void theTestDoesNotMoveTheBuffer() {
    ByteBuffer bytes = frame(3, 3);
    PbService.firstFrameReady(bytes, MOST);
    assertTrue(bytes.position() == 0 && bytes.remaining() == 7);
    byte[] request = Arrays.copyOf(new byte[] {(byte) 0x91, 1}, 2);
    ByteBuffer msgpack = ByteBuffer.wrap(request);
    assertTrue(MsgpackServer.firstMessageReady(msgpack, MOST));
    assertTrue(msgpack.position() == 0 && msgpack.remaining() == 2);
  }
}
