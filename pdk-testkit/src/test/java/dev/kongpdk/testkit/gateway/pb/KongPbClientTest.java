package dev.kongpdk.testkit.gateway.pb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.Kong;
import dev.kongpdk.bridge.PluginServer;
import dev.kongpdk.plugin.AccessPhase;
import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginDescriptor;
import dev.kongpdk.plugin.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Kong-side ProtoBuf client against the real plugin server. */
@Timeout(20)
class KongPbClientTest {

  @TempDir Path dir;

  /** A ProtoBuf plugin running {@code body} in access. */
  private record Plugin(String name, AccessPhase body) implements PluginDescriptor {
    @Override public Protocol protocol() { return Protocol.PROTOBUF; }
    @Override public String version() { return "1.0.0"; }
    @Override public int priority() { return 10; }
    @Override public List<Phase> phases() { return List.of(Phase.ACCESS); }
    @Override public boolean failOpen() { return false; }
    @Override public Class<?> pluginClass() { return AccessPhase.class; }
    @Override public Optional<Class<? extends Record>> configType() { return Optional.empty(); }
    @Override public String schemaJson() {
      return "{\"name\":\"" + name + "\",\"fields\":[{\"config\":{\"type\":\"record\",\"fields\":[]}}]}";
    }
    @Override public Object newPlugin(Record config) { return body; }
  }

  private PluginServer serve(String name, AccessPhase body) throws IOException {
    return PluginServer.builder().plugin(new Plugin(name, body)).socket(dir.resolve(name + ".socket")).start();
  }

  @Test
  void runsAHelloEventAsKongDoes() throws Exception {
    try (PluginServer server = serve("hello", kong -> {
          String host = kong.request().getHeader("host").orElse("unknown");
          kong.response().setHeader("x-hello", "hi " + host);
        });
        KongPbClient kong = KongPbClient.connect(server.socket())) {
      int id = kong.startInstance("hello", "{}");
      KongPbClient.Event event = kong.handleEvent(id, "access",
          (method, args) -> method.equals("kong.request.get_header") ? "example.com" : null);
      assertFalse(event.exited());
      assertEquals(List.of(
          new KongPbClient.PdkCall("kong.request.get_header", List.of("host")),
          new KongPbClient.PdkCall("kong.response.set_header", List.of("x-hello", "hi example.com"))),
          event.calls());
      // The connection is reusable, with the next sequence number.
      assertEquals("hi unknown",
          kong.handleEvent(id, "access", (m, a) -> null).calls().get(1).args().get(1));
      kong.closeInstance(id);
    }
  }

  @Test
  void exitEndsTheEventAndTheConnection() throws Exception {
    try (PluginServer server = serve("deny", kong -> kong.response().exit(403, "no", Map.of("X-Why", "test")));
        KongPbClient kong = KongPbClient.connect(server.socket())) {
      int id = kong.startInstance("deny", "{}");
      KongPbClient.Event event = kong.handleEvent(id, "access", (m, a) -> null);
      assertTrue(event.exited());
      List<Object> exit = event.calls().get(0).args();
      assertEquals(403L, exit.get(0));
      assertArrayEquals("no".getBytes(java.nio.charset.StandardCharsets.UTF_8), (byte[]) exit.get(1));
      assertEquals(Map.of("X-Why", "test"), exit.get(2));
      assertThrows(IllegalStateException.class, () -> kong.startInstance("deny", "{}"));
    }
  }

  @Test
  void anUnknownInstanceIsAnsweredByClosingTheConnection() throws Exception {
    try (PluginServer server = serve("gone", kong -> { });
        KongPbClient kong = KongPbClient.connect(server.socket())) {
      int id = kong.startInstance("gone", "{}");
      IOException e = assertThrows(IOException.class, () -> kong.handleEvent(id + 1, "access", (m, a) -> null));
      assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
  }

  @Test
  void convertsResultsTheWayKongDoes() throws Exception {
    List<Object> seen = new CopyOnWriteArrayList<>();
    Path bodyFile = Files.write(dir.resolve("body"), new byte[] {7, 8});
    AccessPhase plugin = (Kong kong) -> {
      seen.add(kong.request().getHeaders());
      seen.add(kong.call("kong.request.get_raw_body").orElse(null));
      seen.add(kong.call("kong.ctx.shared.get", "k").orElse(null));
      seen.add(kong.call("kong.router.get_route").orElse(null));
      seen.add(kong.call("kong.request.get_port").orElse(null));
    };
    try (PluginServer server = serve("probe", plugin);
        KongPbClient kong = KongPbClient.connect(server.socket())) {
      int id = kong.startInstance("probe", "{}");
      kong.handleEvent(id, "access", (method, args) -> switch (method) {
        case "kong.request.get_headers" -> Map.of("x-multi", List.of("one", "two"), "host", "h");
        case "kong.request.get_raw_body" -> bodyFile;
        case "kong.ctx.shared.get" -> Map.of("n", 2);
        case "kong.router.get_route" -> Map.of("id", "r1", "paths", List.of("/a"), "ignored", true);
        case "kong.request.get_port" -> 8000;
        default -> null;
      });
    }
    assertEquals(List.of("one", "two"), ((Map<?, ?>) seen.get(0)).get("x-multi"));
    assertEquals(List.of("h"), ((Map<?, ?>) seen.get(0)).get("host"));
    assertArrayEquals(new byte[] {7, 8}, (byte[]) seen.get(1));
    assertEquals(Map.of("n", 2L), seen.get(2));
    assertEquals("r1", ((Map<?, ?>) seen.get(3)).get("id"));
    assertEquals(List.of("/a"), ((Map<?, ?>) seen.get(3)).get("paths"));
    assertEquals(8000L, seen.get(4));
  }

  @Test
  void knowsTheFunctionsKongServesOverProtobuf() throws Exception {
    try (PluginServer server = serve("list", kong -> { });
        KongPbClient kong = KongPbClient.connect(server.socket())) {
      List<String> functions = new ArrayList<>(kong.functions());
      assertEquals(74, functions.size());
      assertTrue(functions.contains("kong.ctx.shared.get"));
      assertTrue(functions.contains("kong.nginx.get_tls1_version_str"));
      assertFalse(functions.contains("kong.request.get_body"));
    }
  }
}
