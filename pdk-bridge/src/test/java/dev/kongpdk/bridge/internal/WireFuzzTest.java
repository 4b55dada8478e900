package dev.kongpdk.bridge.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kongpdk.bridge.internal.event.Events;
import dev.kongpdk.bridge.internal.limits.ConfigLimit;
import dev.kongpdk.bridge.internal.limits.MemoryBudget;
import dev.kongpdk.bridge.internal.limits.PeerLimits;
import dev.kongpdk.bridge.internal.rpc.MalformedMessageException;
import dev.kongpdk.bridge.internal.rpc.MsgpackCodec;
import dev.kongpdk.plugin.AccessPhase;
import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginDescriptor;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

/**
 * Coverage-guided fuzzing of what a connection does with the bytes it reads: decode, check the
 * request shape, dispatch. Any input may be rejected, but only with the server's own errors
 * (malformed message, RPC error); anything else escaping is a bug. CI replays the seeds in
 * {@code src/test/resources/.../WireFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class WireFuzzTest {

  private static final PluginDescriptor PLUGIN = new PluginDescriptor() {
    @Override public String name() { return "fuzz"; }
    @Override public String version() { return "0.1.0"; }
    @Override public int priority() { return 1; }
    @Override public List<Phase> phases() { return List.of(Phase.ACCESS); }
    @Override public boolean failOpen() { return false; }
    @Override public Class<?> pluginClass() { return AccessPhase.class; }
    @Override public Optional<Class<? extends Record>> configType() { return Optional.empty(); }
    @Override public String schemaJson() {
      return "{\"name\":\"fuzz\",\"fields\":[{\"config\":{\"type\":\"record\",\"fields\":[]}}]}";
    }
    @Override public Object newPlugin(Record config) {
      return (AccessPhase) kong -> kong.request().getHeader("host");
    }
  };

  private final MsgpackCodec codec = new MsgpackCodec(new MsgpackCodec.Limits(32, 4096, 1 << 16));
  private final ServerStats stats = new ServerStats();
  private final RpcDispatcher dispatcher = new RpcDispatcher(List.of(PLUGIN),
      new Instances(Clock.systemUTC()), new Events(), stats,
      new HandlerTimeouts(List.of(PLUGIN), Duration.ofMillis(20)),
      new EventLimit(Integer.MAX_VALUE), new ConfigLimit(PeerLimits.forThisProcess(),
          new MemoryBudget(PeerLimits.forThisProcess().maxBufferedBytes())));

  @FuzzTest(maxDuration = "20s")
  void decodingAndDispatchingNeverFailsUnexpectedly(byte[] input) throws Exception {
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(input)) {
      while (in.hasNext()) {
        Object message = codec.read(in);
        var request = dev.kongpdk.bridge.internal.rpc.RpcConnection.Request.parse(message);
        try {
          dispatcher.route(request.method(), request.param());
        } catch (RpcError expected) {
          // a clear answer to Kong
        }
      }
    } catch (MalformedMessageException | MessagePackException expected) {
      // the connection would be closed
    } catch (IOException expected) {
      // truncated input: the connection would be closed
    }
  }
}
