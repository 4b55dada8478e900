package dev.kongpdk.bridge.internal.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.bridge.internal.limits.MemoryBudget;
import dev.kongpdk.bridge.internal.limits.OverLimitException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/** The codec's size accounting: per message, decoded, and shared between connections. */
class MsgpackCodecLimitsTest {

  private static final MsgpackCodec.Limits LIMITS =
      new MsgpackCodec.Limits(64, 1 << 20, 64 << 20, 256L << 20);

  private static byte[] pack(Body body) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MessagePacker out = MessagePack.newDefaultPacker(bytes)) {
      body.write(out);
    }
    return bytes.toByteArray();
  }

  private interface Body {
    void write(MessagePacker out) throws IOException;
  }

  private static long allocatedByThisThread() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  @Test
  void aStringHeaderAllocatesOnlyWhatArrives() throws Exception {
    MsgpackCodec codec = new MsgpackCodec(LIMITS);
    // the header of a 60 MB string and 100 KiB of it, then the stream ends
    byte[] start = pack(out -> out.packRawStringHeader(60_000_000));
    MessageUnpacker in = MessagePack.newDefaultUnpacker(new SequenceInputStream(
        new ByteArrayInputStream(start), new ByteArrayInputStream(new byte[100 * 1024])));
    long before = allocatedByThisThread();
    assertThrows(MessageInsufficientBufferException.class, () -> codec.read(in));
    long allocated = allocatedByThisThread() - before;
    assertTrue(allocated < 2 << 20, "allocated " + allocated + " bytes for 100 KiB present");
  }

  @Test
  void aLargeValueThatArrivesWholeIsReadWhole() throws Exception {
    MsgpackCodec codec = new MsgpackCodec(LIMITS);
    byte[] payload = new byte[3 * 1024 * 1024 + 17];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }
    byte[] message = pack(out -> out.packBinaryHeader(payload.length).writePayload(payload));
    assertArrayEquals(payload, (byte[]) codec.read(MessagePack.newDefaultUnpacker(message)));
  }

  @Test
  void theWireLimitIsForTheWholeMessage() throws Exception {
    MsgpackCodec codec = new MsgpackCodec(new MsgpackCodec.Limits(64, 1 << 20, 1 << 20));
    String large = "x".repeat(600 * 1024);
    byte[] one = pack(out -> out.packArrayHeader(1).packString(large));
    byte[] two = pack(out -> out.packArrayHeader(2).packString(large).packString(large));
    assertEquals(List.of(large), codec.read(MessagePack.newDefaultUnpacker(one)));
    OverLimitException e = assertThrows(OverLimitException.class,
        () -> codec.read(MessagePack.newDefaultUnpacker(two)));
    assertTrue(e.getMessage().contains("message of more than 1048576 bytes"), e.getMessage());
  }

  @Test
  void smallNestedValuesAreCountedAtTheirDecodedSize() throws Exception {
    // 40,000 maps {"a": {}}: 160 KB on the wire, about 10 MB of objects
    byte[] message = pack(out -> {
      out.packArrayHeader(40_000);
      for (int i = 0; i < 40_000; i++) {
        out.packMapHeader(1).packString("a").packMapHeader(0);
      }
    });
    MsgpackCodec tight = new MsgpackCodec(new MsgpackCodec.Limits(64, 1 << 20, 1 << 20, 4 << 20));
    OverLimitException e = assertThrows(OverLimitException.class,
        () -> tight.read(MessagePack.newDefaultUnpacker(message)));
    assertTrue(e.getMessage().contains("decodes to more than"), e.getMessage());
    MsgpackCodec roomy = new MsgpackCodec(new MsgpackCodec.Limits(64, 1 << 20, 1 << 20, 32 << 20));
    assertEquals(40_000, ((List<?>) roomy.read(MessagePack.newDefaultUnpacker(message))).size());
  }

  @Test
  void theSharedBudgetIsHeldUntilReleasedAndRefusesWhatDoesNotFit() throws Exception {
    MemoryBudget budget = new MemoryBudget(3 << 20);
    MsgpackCodec codec = new MsgpackCodec(LIMITS, budget);
    byte[] message = pack(out -> out.packBinaryHeader(1 << 20).writePayload(new byte[1 << 20]));
    MsgpackCodec.Reading first = codec.newReading();
    codec.read(MessagePack.newDefaultUnpacker(message), null, first);
    assertTrue(budget.used() >= 1 << 20, "held while the message is handled");
    MsgpackCodec.Reading second = codec.newReading();
    assertThrows(OverLimitException.class, () -> codec.read(MessagePack.newDefaultUnpacker(
        pack(out -> out.packBinaryHeader(2 << 20).writePayload(new byte[2 << 20]))), null, second));
    first.release();
    assertEquals(0, budget.used());
    codec.read(MessagePack.newDefaultUnpacker(
        pack(out -> out.packBinaryHeader(2 << 20).writePayload(new byte[2 << 20]))), null, second);
    second.release();
    assertEquals(0, budget.used());
  }
}
