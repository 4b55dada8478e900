package dev.kongpdk.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Message;
import dev.kongpdk.bridge.internal.pb.PbMethod;
import dev.kongpdk.bridge.internal.pb.PbMethods;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every PDK function Kong exposes over ProtoBuf, through a real server and socket: the plugin calls
 * it with plain Java arguments, Kong's side checks the method-name frame and decodes the argument
 * frame with the argument type of Kong's proto, answers as pb_rpc.lua wraps the Lua result, and
 * the plugin gets the value the MessagePack protocol gives.
 */
@Timeout(20)
class PbPdkMethodsTest {

  @TempDir Path dir;

  static Iterable<PbMethodCases.Case> cases() {
    return PbMethodCases.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reachesKongWithTheProtoTypesAndDecodesTheReply(PbMethodCases.Case c) throws Exception {
    BlockingQueue<Object> results = new ArrayBlockingQueue<>(1);
    try (PluginServer server = PluginServer.builder()
            .plugin(new ProtobufDescriptor(PhaseOf.anyPhase("m", kong -> {
              Object result = kong.call(c.method(), c.args().toArray()).orElse(null);
              results.add(result == null ? "null" : result);
            })))
            .socket(dir.resolve("m.socket"))
            .start();
        KongPbWire kong = new KongPbWire(server.socket())) {
      kong.handleEvent(kong.startInstance("m", PhaseOf.KONG_3), PhaseOf.of(c.method()).luaName());
      KongPbWire.PdkCall call = kong.expectCall(c.method());
      Message args = c.expectedArgs().getParserForType().parseFrom(call.args());
      assertEquals(c.expectedArgs(), args, "the argument message Kong decodes");
      if (c.method().equals("kong.response.exit")) {
        assertEquals("null", results.poll(5, TimeUnit.SECONDS), "exit returns without an answer");
        return;
      }
      if (c.reply() == null) {
        kong.replyEmpty();
      } else {
        kong.reply(c.reply());
      }
      Object result = results.poll(5, TimeUnit.SECONDS);
      assertEquals(PbMethodCases.comparable(c.expected()), PbMethodCases.comparable(result));
      kong.expectEnd();
    }
  }

  @Test
  void theCasesCoverEveryFunctionOfKongsProto() {
    Set<String> covered = PbMethodCases.all().stream()
        .map(PbMethodCases.Case::method)
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> reachable = PbMethods.kong().all().stream()
        .map(PbMethod::luaName)
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(reachable, covered);
    assertEquals(74, reachable.size(), "Kong's service Kong declares 74 rpcs");
  }
}
