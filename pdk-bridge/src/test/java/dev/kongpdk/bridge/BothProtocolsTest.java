package dev.kongpdk.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.plugin.AccessPhase;
import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginDescriptor;
import dev.kongpdk.plugin.Protocol;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The same plugins and scenarios over both protocols: plugin code does not change with the protocol. */
@Timeout(30)
class BothProtocolsTest {

  @TempDir Path dir;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
  }

  private PluginServer serve(Protocol protocol, PluginDescriptor plugin) throws Exception {
    PluginDescriptor chosen = protocol == Protocol.PROTOBUF ? new ProtobufDescriptor(plugin) : plugin;
    PluginServer server = PluginServer.builder().plugin(chosen).socket(dir.resolve("p.socket")).start();
    closeables.add(server);
    return server;
  }

  private KongSide connect(Protocol protocol, PluginServer server) throws Exception {
    KongSide kong = KongSide.connect(protocol, server.socket());
    closeables.add(kong);
    return kong;
  }

  private static Object headers(KongSide.Call call, Map<String, String> headers) {
    return call.method().equals("kong.request.get_header")
        ? headers.get((String) call.args().get(0))
        : null;
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void helloGreetsTheHostAndReusesItsInstance(Protocol protocol) throws Exception {
    PluginServer server = serve(protocol, new GreeterPlugin.Descriptor());
    KongSide kong = connect(protocol, server);
    int id = kong.startInstance("greeter", "{\"message\":\"Kong!\",\"__seq__\":1}");

    KongSide.Run run = kong.event(id, "access", call -> headers(call, Map.of("host", "example.com")));
    assertFalse(run.exited());
    assertEquals(List.of(
        new KongSide.Call("kong.request.get_header", List.of("host")),
        new KongSide.Call("kong.response.set_header", List.of("x-greeting", "Kong! example.com"))),
        run.calls());

    KongSide.Run again = kong.event(id, "access", call -> null); // no host header: nil
    assertEquals(List.of("x-greeting", "Kong! unknown"), again.last().args());
    assertEquals(0, server.eventsInFlight());
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void denyExitsAndNothingFollows(Protocol protocol) throws Exception {
    PluginServer server = serve(protocol, TestDescriptor.of("deny", Phase.ACCESS,
        c -> (AccessPhase) kong -> {
          kong.log().notice("denying ", kong.request().getHeader("x-name").orElse("?"));
          kong.response().exit(403, "denied", Map.of("X-Denied", "1"));
        }));
    KongSide kong = connect(protocol, server);
    KongSide.Run run = kong.event(kong.startInstance("deny", "{}"), "access",
        call -> headers(call, Map.of("x-name", "mallory")));
    assertTrue(run.exited());
    assertEquals(new KongSide.Call("kong.log.notice", List.of("denying ", "mallory")), run.calls().get(1));
    assertEquals(List.of(403L, "denied", Map.of("X-Denied", "1")), run.last().args());
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aThrowingPluginIsLoggedAndAnswered500(Protocol protocol) throws Exception {
    PluginServer server = serve(protocol, TestDescriptor.of("boom", Phase.ACCESS,
        c -> (AccessPhase) kong -> {
          throw new IllegalStateException("kaboom");
        }));
    KongSide kong = connect(protocol, server);
    KongSide.Run run = kong.event(kong.startInstance("boom", "{}"), "access", call -> null);
    assertTrue(run.exited());
    assertEquals("kong.log.err", run.calls().get(0).method());
    assertTrue(String.valueOf(run.calls().get(0).args()).contains("kaboom"));
    assertEquals(500L, run.last().args().get(0));
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void fiftyConcurrentRequestsDoNotCrossTalk(Protocol protocol) throws Exception {
    PluginServer server = serve(protocol, TestDescriptor.of("echo", Phase.ACCESS,
        c -> (AccessPhase) kong -> {
          String id = kong.request().getHeader("x-id").orElseThrow();
          kong.response().setHeader("x-id", id);
        }));
    BlockingQueue<KongSide> pool = new ArrayBlockingQueue<>(8);
    for (int i = 0; i < 8; i++) {
      pool.add(connect(protocol, server));
    }
    KongSide first = pool.take();
    int id = first.startInstance("echo", "{}");
    pool.put(first);
    try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Object>> echoed = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        String requestId = "req-" + i;
        echoed.add(requests.submit(() -> {
          KongSide kong = pool.take();
          try {
            return kong.event(id, "access", call -> headers(call, Map.of("x-id", requestId)))
                .last().args().get(1);
          } finally {
            pool.put(kong);
          }
        }));
      }
      for (int i = 0; i < 50; i++) {
        assertEquals("req-" + i, echoed.get(i).get());
      }
    }
    assertEquals(0, server.eventsInFlight());
  }
}
