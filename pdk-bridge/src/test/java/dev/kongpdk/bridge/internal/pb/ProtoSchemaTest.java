package dev.kongpdk.bridge.internal.pb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The schema read from the .proto's text against protobuf-java's descriptors of the same file
 * (compiled by protoc): every message, field and rpc must agree, so the text reader cannot drift
 * from what the generated code parses.
 */
class ProtoSchemaTest {

  private final ProtoSchema schema = ProtoSchema.kong();

  @Test
  void everyMessageHasTheDescriptorsFieldsWithTheirKinds() {
    Map<String, Descriptor> descriptors = new TreeMap<>();
    PluginSocket.getDescriptor().getMessageTypes().forEach(d -> collect(d, "", descriptors));

    assertEquals(descriptors.keySet(), new TreeMap<>(schema.types()).keySet());
    descriptors.forEach((name, descriptor) -> {
      ProtoSchema.Type type = schema.type(name);
      assertEquals(descriptor.getFields().stream().map(FieldDescriptor::getNumber).toList(),
          List.copyOf(type.fields().keySet()), name + ": the fields in the file's order");
      for (FieldDescriptor field : descriptor.getFields()) {
        ProtoSchema.Field shape = type.field(field.getNumber());
        String where = name + "." + field.getName();
        assertEquals(field.getName(), shape.name(), where);
        assertEquals(shape, type.field(field.getName()), where);
        assertEquals(kind(field), shape.kind(), where);
        assertEquals(field.isRepeated(), shape.repeated(), where);
        assertEquals(field.isRepeated() && field.isPackable(), shape.packable(), where);
        if (shape.kind() == ProtoSchema.Kind.MESSAGE) {
          assertEquals(nameInFile(field.getMessageType()), shape.type().name(), where);
        }
      }
    });
  }

  @Test
  void theRpcsAreTheServiceDescriptorsWithTheirMethodNames() {
    ServiceDescriptor kong = PluginSocket.getDescriptor().findServiceByName("Kong");
    List<ProtoSchema.Rpc> expected = new ArrayList<>();
    for (MethodDescriptor method : kong.getMethods()) {
      expected.add(new ProtoSchema.Rpc(method.getName(), method.getInputType().getName(),
          method.getOutputType().getName(), method.getOptions().getExtension(PluginSocket.methodName)));
    }
    assertEquals(expected, schema.rpcs());
    assertTrue(schema.rpcs().stream().anyMatch(rpc -> rpc.methodName().equals("kong.ctx.shared.get")));
  }

  @Test
  void theLuaNamesFollowKongsRule() {
    assertEquals("kong.request.get_header",
        PbMethods.kong().find("kong.request.get_header").orElseThrow().luaName());
    assertEquals("Request_GetHeader",
        PbMethods.kong().find("kong.request.get_header").orElseThrow().rpcName());
    assertEquals("Ctx_SetShared", PbMethods.kong().find("kong.ctx.shared.set").orElseThrow().rpcName());
  }

  @Test
  void nestedNamesResolveToTheInnermostScopeAndMapsGetEntryTypes() {
    ProtoSchema parsed = ProtoSchema.parse("""
        syntax = "proto3";
        package p;
        message Value { string s = 1; }
        message Outer {
          message Value { bytes b = 1; } // shadows the top-level Value inside Outer
          Value inner = 1;
          p.Value outer = 2;
          map<string, Value> by_name = 3;
          oneof pick { int64 n = 4; Outer self = 5; }
          repeated int32 numbers = 6 [packed = true];
        }
        service Kong { rpc Get(Value) returns (Outer) { option (MethodName) = "kong.get"; } }
        """);

    ProtoSchema.Type outer = parsed.type("Outer");
    assertEquals("Outer.Value", outer.field(1).type().name());
    assertEquals("Value", outer.field(2).type().name());
    ProtoSchema.Type entry = outer.field(3).type();
    assertEquals("Outer.ByNameEntry", entry.name());
    assertEquals(ProtoSchema.Kind.STRING, entry.field(1).kind());
    assertEquals("Outer.Value", entry.field(2).type().name());
    assertEquals(outer, outer.field(5).type());
    assertTrue(outer.field(6).packable());
    assertEquals(List.of(new ProtoSchema.Rpc("Get", "Value", "Outer", "kong.get")), parsed.rpcs());
  }

  @Test
  void anUnknownTypeOrAnUnfinishedFileIsAClearError() {
    IllegalStateException unknown = assertThrows(IllegalStateException.class,
        () -> ProtoSchema.parse("message A { Missing m = 1; }"));
    assertEquals("kong_plugin_protocol.proto, token 9: field 1 of A has the unknown type Missing",
        unknown.getMessage());
    IllegalStateException cut = assertThrows(IllegalStateException.class,
        () -> ProtoSchema.parse("message A { string s = 1;"));
    assertTrue(cut.getMessage().endsWith("the file ends too early"), cut.getMessage());
  }

  private static ProtoSchema.Kind kind(FieldDescriptor field) {
    return switch (field.getJavaType()) {
      case MESSAGE -> ProtoSchema.Kind.MESSAGE;
      case STRING -> ProtoSchema.Kind.STRING;
      case BYTE_STRING -> ProtoSchema.Kind.BYTES;
      default -> ProtoSchema.Kind.SCALAR;
    };
  }

  private static void collect(Descriptor descriptor, String scope, Map<String, Descriptor> out) {
    String name = scope + descriptor.getName();
    out.put(name, descriptor);
    descriptor.getNestedTypes().forEach(nested -> collect(nested, name + ".", out));
  }

  /** The name within the file: the full name without the package. */
  private static String nameInFile(Descriptor descriptor) {
    String full = descriptor.getFullName();
    return full.substring(descriptor.getFile().getPackage().length() + 1);
  }
}
