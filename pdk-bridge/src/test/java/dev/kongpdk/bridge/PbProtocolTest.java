package dev.kongpdk.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.kongpdk.PdkException;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.ExitArgs;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.KV;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.ListValue;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.RpcCall;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.RpcReturn;
import dev.kongpdk.bridge.internal.pb.proto.PluginSocket.Struct;
import dev.kongpdk.plugin.AccessPhase;
import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginDescriptor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The plugin server speaking Kong's ProtoBuf protocol over a real Unix socket, driven as pb_rpc.lua does. */
@Timeout(20)
class PbProtocolTest {

  @TempDir Path dir;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
  }

  private PluginServer serve(PluginServer.Builder builder) throws Exception {
    PluginServer server = builder.socket(dir.resolve("pb.socket")).start();
    closeables.add(server);
    return server;
  }

  private PluginServer serve(PluginDescriptor plugin) throws Exception {
    return serve(PluginServer.builder().plugin(new ProtobufDescriptor(plugin)));
  }

  private KongPbWire connect(PluginServer server) throws Exception {
    KongPbWire wire = new KongPbWire(server.socket());
    closeables.add(wire);
    return wire;
  }

  private static PluginDescriptor access(String name, AccessPhase plugin) {
    return TestDescriptor.of(name, Phase.ACCESS, config -> plugin);
  }

  private static PluginSocket.String string(String v) {
    return PluginSocket.String.newBuilder().setV(ByteString.copyFromUtf8(v)).build();
  }

  private static String text(ByteString bytes) {
    return bytes.toStringUtf8();
  }

  // ---- the hello flow -----------------------------------------------------------------------

  @Test
  void greeterRunsOverProtobufWithTheSamePluginCode() throws Exception {
    PluginServer server = serve(new GreeterPlugin.Descriptor());
    KongPbWire kong = connect(server);
    int id = kong.startInstance("greeter", "{\"message\":\"hi\",\"__seq__\":3,\"route_id\":\"r\"}");

    kong.handleEvent(id, "access");
    KongPbWire.PdkCall getHeader = kong.expectCall("kong.request.get_header");
    assertEquals("host", text(getHeader.args(PluginSocket.String.parser()).getV()));
    kong.reply(string("example.com"));

    KongPbWire.PdkCall setHeader = kong.expectCall("kong.response.set_header");
    KV kv = setHeader.args(KV.parser());
    assertEquals("x-greeting", text(kv.getK()));
    assertEquals("hi example.com", text(kv.getV().getStringValue()));
    kong.replyEmpty();

    kong.expectEnd();
    assertEquals(0, server.eventsInFlight());

    // The connection goes back to Kong's pool and serves the next event.
    kong.handleEvent(id, "access");
    kong.expectCall("kong.request.get_header");
    kong.replyEmpty(); // no host header: Kong's nil
    assertEquals("hi unknown",
        text(kong.expectCall("kong.response.set_header").args(KV.parser()).getV().getStringValue()));
    kong.replyEmpty();
    kong.expectEnd();
  }

  /** Remembers what the server told it, in order. */
  static final class RecordingObserver implements ServerObserver {
    final List<String> heard = java.util.Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch ended = new CountDownLatch(1);

    @Override
    public void eventStarted(String plugin, Phase phase) {
      heard.add("started " + plugin + " " + phase.luaName());
    }

    @Override
    public void eventEnded(String plugin, Phase phase, EventEnd end, long nanos) {
      heard.add("ended " + plugin + " " + phase.luaName() + " " + end + (nanos > 0 ? "" : " without a duration"));
      ended.countDown();
    }

    @Override
    public void pdkCall(String plugin, Phase phase, String method, long nanos) {
      heard.add("call " + method + (nanos > 0 ? "" : " without a duration"));
    }

    @Override
    public void instanceStarted(String plugin) {
      heard.add("instance " + plugin);
    }
  }

  @Test
  void theObserverHearsEachCountWithItsPluginAndPhase() throws Exception {
    RecordingObserver observer = new RecordingObserver();
    PluginServer server = serve(PluginServer.builder()
        .plugin(new ProtobufDescriptor(new GreeterPlugin.Descriptor())).observer(observer));
    KongPbWire kong = connect(server);
    int id = kong.startInstance("greeter", "{}");
    kong.handleEvent(id, "access");
    kong.expectCall("kong.request.get_header");
    kong.reply(string("h"));
    kong.expectCall("kong.response.set_header");
    kong.replyEmpty();
    kong.expectEnd();
    assertTrue(observer.ended.await(10, TimeUnit.SECONDS));
    assertEquals(List.of("instance greeter", "started greeter access", "call kong.request.get_header",
        "call kong.response.set_header", "ended greeter access COMPLETED"), observer.heard);
  }

  @Test
  void configDefaultsComeFromTheSchema() throws Exception {
    PluginServer server = serve(new GreeterPlugin.Descriptor());
    KongPbWire kong = connect(server);
    int id = kong.startInstance("greeter", "{}");
    kong.handleEvent(id, "access");
    kong.expectCall("kong.request.get_header");
    kong.reply(string("h"));
    assertEquals("hello h",
        text(kong.expectCall("kong.response.set_header").args(KV.parser()).getV().getStringValue()));
    kong.replyEmpty();
    kong.expectEnd();
  }

  // ---- framing ------------------------------------------------------------------------------

  @Test
  void framesAreLittleEndianLengthPrefixed() throws Exception {
    String longHost = "h".repeat(300); // 300 = 0x012C: byte order matters
    PluginServer server = serve(new GreeterPlugin.Descriptor());
    KongPbWire kong = connect(server);
    int id = kong.startInstance("greeter", "{\"message\":\"hi\"}");
    kong.handleEvent(id, "access");
    kong.expectCall("kong.request.get_header");
    kong.reply(string(longHost));

    byte[] header = kong.rawInput().readNBytes(4);
    assertEquals("kong.response.set_header".length(),
        ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt());
    assertEquals("kong.response.set_header",
        new String(kong.rawInput().readNBytes(header[0]), StandardCharsets.UTF_8));
    byte[] argsHeader = kong.rawInput().readNBytes(4);
    int argsLength = ByteBuffer.wrap(argsHeader).order(ByteOrder.LITTLE_ENDIAN).getInt();
    assertTrue(argsLength > 300, "the args frame carries the 300-byte value");
    assertEquals(0, argsHeader[3], "little-endian: the high byte comes last");
    KV kv = KV.parseFrom(kong.rawInput().readNBytes(argsLength));
    assertEquals("hi " + longHost, text(kv.getV().getStringValue()));
    kong.replyEmpty();

    assertEquals(List.of(0, 0, 0, 0), bytes(kong.rawInput().readNBytes(4)),
        "the event ends with a zero-length frame");
    RpcReturn.parseFrom(kong.readFrame());
  }

  private static List<Integer> bytes(byte[] b) {
    List<Integer> list = new ArrayList<>();
    for (byte x : b) {
      list.add((int) x);
    }
    return list;
  }

  @Test
  void everyReturnEchoesItsSequence() throws Exception {
    PluginServer server = serve(new GreeterPlugin.Descriptor());
    KongPbWire kong = connect(server);
    long seq = kong.send(RpcCall.newBuilder().setSequence(0).setCmdStartInstance(
        PluginSocket.CmdStartInstance.newBuilder().setName("greeter")
            .setConfig(ByteString.copyFromUtf8("{}"))));
    RpcReturn started = kong.readReturn(seq);
    int id = started.getInstanceStatus().getInstanceId();
    assertTrue(id > 0, "instance ids are positive int32");
    assertEquals("greeter", started.getInstanceStatus().getName());

    kong.handleEvent(id, "access");
    kong.expectCall("kong.request.get_header");
    kong.reply(string("a"));
    kong.expectCall("kong.response.set_header");
    kong.replyEmpty();
    kong.expectEnd(); // checks the RpcReturn's sequence

    RpcReturn closed = kong.closeInstance(id);
    assertEquals(id, closed.getInstanceStatus().getInstanceId());
    assertEquals(0, server.instanceCount());
    // Closing again is answered too: Kong only wants the instance gone.
    assertFalse(kong.closeInstance(id).hasInstanceStatus());
  }

  @Test
  void aMalformedRpcCallClosesOnlyThatConnection() throws Exception {
    PluginServer server = serve(new GreeterPlugin.Descriptor());
    KongPbWire bad = connect(server);
    bad.writeFrame(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
    assertTrue(bad.closedByServer());
    KongPbWire good = connect(server);
    assertTrue(good.startInstance("greeter", "{}") > 0);
    assertEquals(1L, server.counters().get("MalformedMessages"));
  }

  @Test
  void aFrameOverTheLimitClosesTheConnection() throws Exception {
    PluginServer server = serve(PluginServer.builder().maxMessageBytes(1024)
        .plugin(new ProtobufDescriptor(new GreeterPlugin.Descriptor())));
    KongPbWire kong = connect(server);
    kong.writeFrame(new byte[2048]);
    assertTrue(kong.closedByServer());
  }

  // ---- instances ----------------------------------------------------------------------------

  @Test
  void anUnknownInstanceClosesTheConnectionSoKongStartsItAfresh() throws Exception {
    PluginServer server = serve(new GreeterPlugin.Descriptor());
    KongPbWire kong = connect(server);
    int id = kong.startInstance("greeter", "{}");
    kong.handleEvent(id + 1, "access");
    assertTrue(kong.closedByServer());

    KongPbWire retry = connect(server);
    int fresh = retry.startInstance("greeter", "{}");
    retry.handleEvent(fresh, "access");
    retry.expectCall("kong.request.get_header");
    retry.reply(string("b"));
    retry.expectCall("kong.response.set_header");
    retry.replyEmpty();
    retry.expectEnd();
  }

  @Test
  void anUnknownPluginOrABadConfigClosesTheConnection() throws Exception {
    PluginServer server = serve(new GreeterPlugin.Descriptor());
    KongPbWire unknown = connect(server);
    unknown.send(RpcCall.newBuilder().setCmdStartInstance(PluginSocket.CmdStartInstance.newBuilder()
        .setName("nope").setConfig(ByteString.copyFromUtf8("{}"))));
    assertTrue(unknown.closedByServer());
    KongPbWire bad = connect(server);
    bad.send(RpcCall.newBuilder().setCmdStartInstance(PluginSocket.CmdStartInstance.newBuilder()
        .setName("greeter").setConfig(ByteString.copyFromUtf8("{not json"))));
    assertTrue(bad.closedByServer());
    assertEquals(2L, server.counters().get("InstancesRejected"));
  }

  // ---- the event loop -----------------------------------------------------------------------

  @Test
  void exitIsTerminalKongGetsNothingMoreAndALaterCallFails() throws Exception {
    BlockingQueue<Throwable> after = new ArrayBlockingQueue<>(1);
    PluginServer server = serve(access("deny", kong -> {
      kong.response().exit(403, Map.of("message", "denied"), Map.of("X-Denied", "1"));
      try {
        kong.request().getHeader("x");
      } catch (PdkException e) {
        after.add(e);
      }
    }));
    KongPbWire kong = connect(server);
    int id = kong.startInstance("deny", "{}");
    kong.handleEvent(id, "access");
    ExitArgs exit = kong.expectCall("kong.response.exit").args(ExitArgs.parser());
    assertEquals(403, exit.getStatus());
    assertEquals("{\"message\":\"denied\"}", text(exit.getBody()));
    Map<String, String> headers = headers(exit.getHeaders());
    assertEquals("1", headers.get("X-Denied"));
    assertEquals("application/json; charset=utf-8", headers.get("Content-Type"));

    Throwable failure = after.poll(5, TimeUnit.SECONDS);
    assertInstanceOf(EventEndedException.class, failure.getCause());
    // Kong never reads this connection again and closes it when the request ends.
    kong.shutdownOutput();
    assertTrue(kong.closedByServer(), "nothing follows the exit frames");
    assertEquals(0, server.eventsInFlight());
    assertEquals(1L, server.counters().get("EventsExited"));
  }

  @Test
  void exitWithAStringBodyAndNoHeaders() throws Exception {
    PluginServer server = serve(access("plain", kong -> kong.response().exit(401, "go away")));
    KongPbWire kong = connect(server);
    kong.handleEvent(kong.startInstance("plain", "{}"), "access");
    ExitArgs exit = kong.expectCall("kong.response.exit").args(ExitArgs.parser());
    assertEquals(401, exit.getStatus());
    assertEquals("go away", text(exit.getBody()));
    assertFalse(exit.hasHeaders());
  }

  private static Map<String, String> headers(Struct struct) {
    Map<String, String> map = new HashMap<>();
    struct.getFieldsList().forEach(f -> map.put(text(f.getKey()), text(f.getValue().getStringValue())));
    return map;
  }

  @Test
  void aConnectionClosedMidEventEndsTheHandlerAndLeaksNothing() throws Exception {
    BlockingQueue<Throwable> seen = new ArrayBlockingQueue<>(1);
    CountDownLatch handlerDone = new CountDownLatch(1);
    PluginServer server = serve(access("mid", kong -> {
      try {
        kong.request().getHeader("host");
      } catch (PdkException e) {
        seen.add(e);
      } finally {
        handlerDone.countDown();
      }
    }));
    KongPbWire kong = connect(server);
    int id = kong.startInstance("mid", "{}");
    kong.handleEvent(id, "access");
    kong.expectCall("kong.request.get_header");
    kong.close(); // Kong's request ended (or the worker died) while the call waited

    assertTrue(handlerDone.await(5, TimeUnit.SECONDS));
    assertInstanceOf(EventEndedException.class, seen.poll().getCause());
    awaitNoEvents(server);

    KongPbWire next = connect(server);
    next.handleEvent(id, "access");
    next.expectCall("kong.request.get_header");
    next.replyEmpty();
    next.expectEnd();
  }

  private static void awaitNoEvents(PluginServer server) throws InterruptedException {
    assertTrue(server.awaitEventsEnded(java.time.Duration.ofSeconds(5)), "events still in flight");
    assertEquals(0, server.eventsInFlight());
  }

  @Test
  void aThrowingHandlerIsLoggedToKongAndAnswered500() throws Exception {
    PluginServer server = serve(access("boom", kong -> {
      throw new IllegalStateException("kaboom");
    }));
    KongPbWire kong = connect(server);
    kong.handleEvent(kong.startInstance("boom", "{}"), "access");
    ListValue log = kong.expectCall("kong.log.err").args(ListValue.parser());
    String message = text(log.getValues(0).getStringValue());
    assertTrue(message.contains("plugin 'boom' failed in the access phase"), message);
    assertTrue(message.contains("kaboom"), message);
    kong.replyEmpty();
    ExitArgs exit = kong.expectCall("kong.response.exit").args(ExitArgs.parser());
    assertEquals(500, exit.getStatus());
    assertEquals("{\"message\":\"An unexpected error occurred\"}", text(exit.getBody()));
    kong.shutdownOutput();
    assertTrue(kong.closedByServer());
    assertEquals(1L, server.counters().get("EventsFailed"));
  }

  @Test
  void aFailOpenPluginLetsTheRequestThrough() throws Exception {
    PluginServer server = serve(TestDescriptor.of("open", Phase.ACCESS,
        c -> (AccessPhase) kong -> {
          throw new IllegalStateException("ignored");
        }).failingOpen());
    KongPbWire kong = connect(server);
    kong.handleEvent(kong.startInstance("open", "{}"), "access");
    kong.expectCall("kong.log.err");
    kong.replyEmpty();
    kong.expectEnd();
  }

  @Test
  void aFunctionKongDoesNotExposeOverProtobufFailsAtOnceWithoutTouchingTheWire() throws Exception {
    PluginServer server = serve(access("reach", kong -> {
      try {
        kong.call("kong.request.get_body");
      } catch (PdkException e) {
        kong.response().setHeader("x-error", e.getMessage());
      }
    }));
    KongPbWire kong = connect(server);
    kong.handleEvent(kong.startInstance("reach", "{}"), "access");
    KV kv = kong.expectCall("kong.response.set_header").args(KV.parser());
    String message = text(kv.getV().getStringValue());
    assertTrue(message.contains("kong.request.get_body"), message);
    assertTrue(message.contains("not available over ProtoBuf"), message);
    assertTrue(message.contains("MessagePack"), message);
    kong.replyEmpty();
    kong.expectEnd();
  }

  @Test
  void aHandlerThatNeverReturnsIsTimedOutAndTheRequestFailsClosed() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    PluginServer server = serve(PluginServer.builder().eventTimeout(Duration.ofMillis(300))
        .plugin(new ProtobufDescriptor(access("stuck", kong -> never.await()))));
    KongPbWire kong = connect(server);
    kong.handleEvent(kong.startInstance("stuck", "{}"), "access");
    ExitArgs exit = kong.expectCall("kong.response.exit").args(ExitArgs.parser());
    assertEquals(500, exit.getStatus());
    assertEquals(1L, server.counters().get("EventsTimedOut"));
    awaitNoEvents(server);
  }

  @Test
  void aFailOpenHandlerThatNeverReturnsIsTimedOutAndItsConnectionServesTheNextEvent()
      throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger events = new java.util.concurrent.atomic.AtomicInteger();
    PluginServer server = serve(PluginServer.builder().eventTimeout(Duration.ofMillis(300))
        .plugin(new ProtobufDescriptor(TestDescriptor.of("stuck-open", Phase.ACCESS,
            c -> (AccessPhase) kong -> {
              if (events.getAndIncrement() == 0) {
                never.await(); // holds the thread that read the connection until interrupted
              }
              kong.response().setHeader("x-next", "1");
            }).failingOpen())));
    KongPbWire kong = connect(server);
    int id = kong.startInstance("stuck-open", "{}");
    kong.handleEvent(id, "access");
    kong.expectEnd(); // fail open: the request goes on without the plugin
    assertEquals(1L, server.counters().get("EventsTimedOut"));

    kong.handleEvent(id, "access"); // Kong reuses the pooled connection for the next request
    kong.expectCall("kong.response.set_header");
    kong.replyEmpty();
    kong.expectEnd();
    awaitNoEvents(server);
  }

  @Test
  void kongNotAnsweringIsTimedOutByClosingTheConnection() throws Exception {
    BlockingQueue<Throwable> seen = new ArrayBlockingQueue<>(1);
    PluginServer server = serve(PluginServer.builder().eventTimeout(Duration.ofMillis(300))
        .plugin(new ProtobufDescriptor(access("silent", kong -> {
          try {
            kong.request().getHeader("host");
          } catch (PdkException e) {
            seen.add(e);
          }
        }))));
    KongPbWire kong = connect(server);
    kong.handleEvent(kong.startInstance("silent", "{}"), "access");
    kong.expectCall("kong.request.get_header"); // and never answer, as after a Lua error
    assertTrue(kong.closedByServer());
    assertInstanceOf(EventEndedException.class, seen.poll(5, TimeUnit.SECONDS).getCause());
  }

  @Test
  void badArgumentsFailInThePluginWithTheFunctionName() throws Exception {
    PluginServer server = serve(access("args", kong -> {
      PdkException e = assertThrows(PdkException.class,
          () -> kong.call("kong.response.set_status", "not a number"));
      kong.response().setHeader("x-error", e.getMessage());
    }));
    KongPbWire kong = connect(server);
    kong.handleEvent(kong.startInstance("args", "{}"), "access");
    String message = text(kong.expectCall("kong.response.set_header").args(KV.parser())
        .getV().getStringValue());
    assertTrue(message.contains("kong.response.set_status"), message);
    assertTrue(message.contains("must be an integer"), message);
    kong.replyEmpty();
    kong.expectEnd();
  }

  @Test
  void closingTheServerLetsAnEventInFlightFinish() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch inHandler = new CountDownLatch(1);
    PluginServer server = serve(access("slow", kong -> {
      inHandler.countDown();
      release.await();
      kong.response().setHeader("x-done", "1");
    }));
    KongPbWire kong = connect(server);
    kong.handleEvent(kong.startInstance("slow", "{}"), "access");
    assertTrue(inHandler.await(5, TimeUnit.SECONDS));
    Thread closer = Thread.ofVirtual().start(server::close);
    while (java.nio.file.Files.exists(server.socket())) {
      Thread.onSpinWait(); // close() removes the socket first, then drains the events in flight
    }
    release.countDown();
    kong.expectCall("kong.response.set_header");
    kong.replyEmpty();
    kong.expectEnd();
    closer.join(Duration.ofSeconds(10));
    assertFalse(closer.isAlive());
    assertTrue(kong.closedByServer());
  }

  // ---- choosing the protocol ----------------------------------------------------------------

  @Test
  void aServerRefusesPluginsOfDifferentProtocols() {
    PluginServer.Builder builder = PluginServer.builder()
        .plugins(List.of(new GreeterPlugin.Descriptor(),
            new ProtobufDescriptor(access("other", kong -> { }))))
        .socket(dir.resolve("mixed.socket"));
    IllegalStateException e = assertThrows(IllegalStateException.class, builder::start);
    assertTrue(e.getMessage().contains("different protocols"), e.getMessage());
  }
}
