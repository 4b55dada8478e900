package dev.kongpdk.bridge.internal.pb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.Consumer;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EntityMapsTest {

  private static final ProtoSchema SCHEMA = ProtoSchema.kong();

  /** What PdkCodec passes: values already of their field's Java type, anything else refused. */
  private static final EntityMaps.Scalars AS_GIVEN = (field, value, name) -> {
    if (field.protoType().equals("string") && !(value instanceof String)) {
      throw new IllegalArgumentException(name + " must be a string");
    }
    return value;
  };

  @Test
  void aRouteReadsInTheFilesOrderWithDefaultsForNumbersAndBooleans() throws Exception {
    byte[] route = Route.newBuilder().setName("rt").setId("r1").addPaths("/a").addPaths("/b")
        .setRegexPriority(-3).build().toByteArray();

    Map<String, Object> map = EntityMaps.read(SCHEMA.type("Route"), route);

    assertEquals(List.of("id", "created_at", "updated_at", "name", "paths",
        "https_redirect_status_code", "regex_priority", "strip_path", "preserve_host"),
        List.copyOf(map.keySet()));
    assertEquals(List.of("/a", "/b"), map.get("paths"));
    assertEquals(-3L, map.get("regex_priority"));
    assertEquals(false, map.get("strip_path"));
  }

  @Test
  void aPackedListWithNoValuesIsLeftOutLikeAnyEmptyList() throws Exception {
    ProtoSchema.Type counts = ProtoSchema.parse(
        "message Counts { repeated int64 values = 1; string name = 2; }").type("Counts");
    byte[] emptyPacked = {0x0a, 0x00, 0x12, 0x01, 'c'}; // values: packed, zero bytes; name "c"
    assertEquals(Map.of("name", "c"), EntityMaps.read(counts, emptyPacked));
    byte[] twoPacked = {0x0a, 0x02, 0x05, 0x07};
    assertEquals(Map.of("values", List.of(5L, 7L)), EntityMaps.read(counts, twoPacked));
  }

  @Test
  void fieldsOfALaterProtoAreSkippedAndBadTextIsRefused() throws Exception {
    byte[] withUnknown = Consumer.newBuilder().setId("u1")
        .setUnknownFields(UnknownFieldSet.newBuilder().addField(99,
            UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("x")).build()).build())
        .build().toByteArray();
    assertEquals(Map.of("id", "u1", "created_at", 0L),
        EntityMaps.read(SCHEMA.type("Consumer"), withUnknown));

    byte[] idAsNumber = {0x08, 0x07, 0x1a, 0x01, 'x'}; // id (1) as a varint, then username "x"
    assertEquals(Consumer.parseFrom(idAsNumber).getUsername(),
        EntityMaps.read(SCHEMA.type("Consumer"), idAsNumber).get("username"));
    assertEquals(Map.of("created_at", 0L, "username", "x"),
        EntityMaps.read(SCHEMA.type("Consumer"), idAsNumber), "a field of the wrong wire type is left out, as protobuf does");

    byte[] badUtf8 = {0x0a, 0x01, (byte) 0xff}; // id = one byte that is not UTF-8
    assertThrows(InvalidProtocolBufferException.class,
        () -> EntityMaps.read(SCHEMA.type("Consumer"), badUtf8));
    byte[] strayEndGroup = {0x0c}; // field 1, wire type 4: the end of a group never started
    assertThrows(InvalidProtocolBufferException.class,
        () -> Consumer.parseFrom(strayEndGroup), "protobuf-java refuses it too");
    assertThrows(InvalidProtocolBufferException.class,
        () -> EntityMaps.read(SCHEMA.type("Consumer"), strayEndGroup));
    byte[] truncated = {0x0a, 0x05, 'a'};
    assertThrows(InvalidProtocolBufferException.class,
        () -> EntityMaps.read(SCHEMA.type("Consumer"), truncated));
  }

  @Test
  void aMapIsWrittenAsTheMessageKongsEncoderWould() throws Exception {
    Map<String, Object> consumer = new LinkedHashMap<>();
    consumer.put("username", "alice");
    consumer.put("id", "u1");
    consumer.put("tags", List.of("a", "b"));
    consumer.put("created_at", 1700000000L);
    consumer.put("not_a_field", "ignored");
    consumer.put("custom_id", null);

    byte[] bytes = EntityMaps.write(SCHEMA.type("Consumer"), consumer, "the consumer", AS_GIVEN);

    assertArrayEquals(Consumer.newBuilder().setId("u1").setCreatedAt(1700000000L)
        .setUsername("alice").addTags("a").addTags("b").build().toByteArray(),
        Consumer.parseFrom(bytes).toByteArray());
  }

  @Test
  void whatCannotBeWrittenIsAClearError() {
    ProtoSchema.Type consumer = SCHEMA.type("Consumer");
    assertEquals("the consumer must be a map, got String alice",
        assertThrows(IllegalArgumentException.class,
            () -> EntityMaps.write(consumer, "alice", "the consumer", AS_GIVEN)).getMessage());
    assertEquals("the consumer.tags must be a list",
        assertThrows(IllegalArgumentException.class,
            () -> EntityMaps.write(consumer, Map.of("tags", "a"), "the consumer", AS_GIVEN)).getMessage());
    assertEquals("the consumer.id must be a string",
        assertThrows(IllegalArgumentException.class,
            () -> EntityMaps.write(consumer, Map.of("id", 7L), "the consumer", AS_GIVEN)).getMessage());
    assertEquals("the route.service cannot be sent",
        assertThrows(IllegalArgumentException.class, () -> EntityMaps.write(SCHEMA.type("Route"),
            Map.of("service", Map.of("id", "s1")), "the route", AS_GIVEN)).getMessage());
  }
}
