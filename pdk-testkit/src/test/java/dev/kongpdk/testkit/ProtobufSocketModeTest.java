package dev.kongpdk.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginDescriptor;
import dev.kongpdk.plugin.Protocol;
import dev.kongpdk.testkit.gateway.ServerProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The socket-mode scenarios with the plugins switched to Kong's ProtoBuf protocol, each served by
 * a real plugin server process: the results must be the same as in process (and so as over
 * MessagePack). The ProtoBuf descriptors are registered only on the class path of the servers
 * started here, so the other tests' MessagePack server does not see them.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProtobufSocketModeTest {

  @TempDir
  static Path dir;

  private static final Map<String, ServerProcess> SERVERS = new HashMap<>();

  /** A test plugin's descriptor under another name, switched to ProtoBuf. */
  public abstract static class Pb implements PluginDescriptor {
    private final PluginDescriptor delegate;
    private final String name;

    Pb(PluginDescriptor delegate) {
      this.delegate = delegate;
      this.name = delegate.name() + "-pb";
    }

    @Override public Protocol protocol() { return Protocol.PROTOBUF; }
    @Override public String name() { return name; }
    @Override public String version() { return delegate.version(); }
    @Override public int priority() { return delegate.priority(); }
    @Override public List<Phase> phases() { return delegate.phases(); }
    @Override public boolean failOpen() { return delegate.failOpen(); }
    @Override public Class<?> pluginClass() { return delegate.pluginClass(); }
    @Override public Optional<Class<? extends Record>> configType() { return delegate.configType(); }
    @Override public String schemaJson() { return delegate.schemaJson(); }
    @Override public Object newPlugin(Record config) { return delegate.newPlugin(config); }
  }

  /** Hello over ProtoBuf. */
  public static final class HelloPb extends Pb {
    /** ServiceLoader constructor. */
    public HelloPb() {
      super(new Hello.Descriptor());
    }
  }

  /** Deny over ProtoBuf. */
  public static final class DenyPb extends Pb {
    /** ServiceLoader constructor. */
    public DenyPb() {
      super(TestPlugins.Deny.DESCRIPTOR);
    }
  }

  /** Throws over ProtoBuf. */
  public static final class ThrowsPb extends Pb {
    /** ServiceLoader constructor. */
    public ThrowsPb() {
      super(TestPlugins.Throws.DESCRIPTOR);
    }
  }

  /** WrongPhase over ProtoBuf. */
  public static final class WrongPhasePb extends Pb {
    /** ServiceLoader constructor. */
    public WrongPhasePb() {
      super(TestPlugins.WrongPhase.DESCRIPTOR);
    }
  }

  /** EveryPhase over ProtoBuf. */
  public static final class EveryPhasePb extends Pb {
    /** ServiceLoader constructor. */
    public EveryPhasePb() {
      super(TestPlugins.EveryPhase.DESCRIPTOR);
    }
  }

  /** Starts (once) a server process serving only {@code plugin}, found through ServiceLoader. */
  private static synchronized ServerProcess server(Pb plugin) throws IOException {
    ServerProcess running = SERVERS.get(plugin.name());
    if (running != null) {
      return running;
    }
    Path services = dir.resolve("services-" + plugin.name());
    Files.createDirectories(services.resolve("META-INF/services"));
    Files.writeString(services.resolve("META-INF/services/dev.kongpdk.plugin.PluginDescriptor"),
        plugin.getClass().getName() + "\n");
    Path socket = dir.resolve(plugin.name() + ".sock");
    ServerProcess server = ServerProcess.start(ServerProcess.javaCommand(
            services + File.pathSeparator + System.getProperty("java.class.path"),
            "--socket", socket.toString(), "--plugin", plugin.name(), "--event-timeout", "3"),
        socket, Duration.ofSeconds(30));
    SERVERS.put(plugin.name(), server);
    return server;
  }

  @AfterAll
  static void stopServers() {
    SERVERS.values().forEach(ServerProcess::close);
  }

  static Stream<Arguments> scenarios() {
    return Stream.of(
        Arguments.of("hello", new HelloPb(), (java.util.function.Function<Pb, PluginTester>) p ->
            PluginTester.forPlugin(p).config("{\"message\":\"hi\"}")
                .request(TestRequest.get("http://example.com/path?x=1"))),
        Arguments.of("hello without a host header", new HelloPb(), (java.util.function.Function<Pb, PluginTester>) p ->
            PluginTester.forPlugin(p).request(TestRequest.get("http://example.com/"))),
        Arguments.of("deny exits", new DenyPb(), (java.util.function.Function<Pb, PluginTester>) p ->
            PluginTester.forPlugin(p).request(TestRequest.get("http://example.com/x").header("X-Deny", "1"))),
        Arguments.of("deny lets through and logs", new DenyPb(), (java.util.function.Function<Pb, PluginTester>) p ->
            PluginTester.forPlugin(p).request(TestRequest.get("http://example.com/x"))),
        Arguments.of("throwing plugin", new ThrowsPb(), (java.util.function.Function<Pb, PluginTester>) PluginTester::forPlugin),
        Arguments.of("lua error in access", new WrongPhasePb(), (java.util.function.Function<Pb, PluginTester>) PluginTester::forPlugin),
        Arguments.of("every phase", new EveryPhasePb(), (java.util.function.Function<Pb, PluginTester>) PluginTester::forPlugin));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void overProtobufTheResultIsTheSameAsInProcess(
      String name, Pb plugin, java.util.function.Function<Pb, PluginTester> scenario) throws IOException {
    ServerProcess server = server(plugin);
    PluginTester tester = scenario.apply(plugin);
    assertEquals(summary(tester.run()), summary(tester.runOverSocket(server)));
    // twice: the connection pool and the instance survive exits and Lua errors, as in Kong
    assertEquals(summary(tester.run()), summary(tester.runOverSocket(server)));
  }

  /**
   * Everything a test observes; PDK calls by function only, since ProtoBuf carries some arguments
   * in other shapes (an exit body travels as JSON bytes).
   */
  private static List<String> summary(TestResult r) {
    List<String> lines = new ArrayList<>();
    ClientResponse response = r.response();
    lines.add("response " + response.status() + " " + response.source() + " " + response.headers() + " "
        + response.bodyText());
    r.upstreamRequest().ifPresentOrElse(up -> lines.add("upstream " + up.method() + " " + up.pathWithQuery()
        + " " + up.headers()), () -> lines.add("not proxied"));
    r.logs().forEach(l -> lines.add("log " + l.plugin() + " " + l.phase() + " " + l.level() + " "
        + l.message().lines().findFirst().orElse("")));
    r.calls().forEach(c -> lines.add("call " + c.plugin() + " " + c.phase() + " " + c.method()));
    lines.add("ctx " + r.ctxShared());
    return lines;
  }
}
