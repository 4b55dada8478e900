package dev.kongpdk.bridge.internal.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

class StringCacheTest {

  private final StringCache cache = new StringCache();

  @Test
  void aRepeatedStringIsDecodedOnce() throws IOException {
    List<Object> read = readAll(List.of("EventId", "Data", "EventId", "Data"));
    assertEquals(List.of("EventId", "Data", "EventId", "Data"), read);
    assertSame(read.get(0), read.get(2));
    assertSame(read.get(1), read.get(3));
  }

  @Test
  void textIsDecodedAsUtf8AndOtherBytesStayBytes() throws IOException {
    byte[] notUtf8 = {(byte) 0xff, (byte) 0xfe, 'x'};
    MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
    packer.packString("grüße");
    packer.packRawStringHeader(notUtf8.length);
    packer.writePayload(notUtf8);
    packer.packRawStringHeader(notUtf8.length);
    packer.writePayload(notUtf8);
    MessageUnpacker in = MessagePack.newDefaultUnpacker(packer.toByteArray());
    assertEquals("grüße", cache.read(in, in.unpackRawStringHeader()));
    Object first = cache.read(in, in.unpackRawStringHeader());
    Object second = cache.read(in, in.unpackRawStringHeader());
    assertArrayEquals(notUtf8, (byte[]) first);
    assertArrayEquals(notUtf8, (byte[]) second);
    assertNotSame(first, second); // bytes are never shared: the caller may keep them
  }

  @Test
  void manyDifferentStringsAllComeBackRight() throws IOException {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      values.add("value-" + (i % 150)); // more strings than slots, each seen several times
    }
    assertEquals(values, readAll(values));
  }

  private List<Object> readAll(List<String> values) throws IOException {
    MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
    for (String value : values) {
      packer.packString(value);
    }
    MessageUnpacker in = MessagePack.newDefaultUnpacker(packer.toByteArray());
    List<Object> read = new ArrayList<>();
    while (in.hasNext()) {
      read.add(cache.read(in, in.unpackRawStringHeader()));
    }
    return read;
  }
}
