package dev.kongpdk.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kongpdk.bridge.ConfigException;
import dev.kongpdk.bridge.PluginInstance;
import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginDescriptor;
import dev.kongpdk.plugin.Protocol;
import dev.kongpdk.testkit.gateway.KongClient;
import dev.kongpdk.testkit.gateway.NoPluginInstanceException;
import dev.kongpdk.testkit.gateway.ServerProcess;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Tests plugins against a simulated Kong: given a request, run one or more plugins in Kong's
 * order, then assert the client response, the upstream request, the logs and the PDK calls.
 *
 * <pre>{@code
 * TestResult r = PluginTester.forPlugin(Hello.class)
 *     .config("{\"message\":\"hi\"}")
 *     .request(TestRequest.get("http://example.com/path?x=1"))
 *     .upstream(UpstreamResponse.status(200).body("ok"))
 *     .run();
 * assertEquals("Java says hi to example.com", r.response().header("x-hello-from-java").orElseThrow());
 * }</pre>
 *
 * <p>{@link #run()} runs Java plugins in process, through the same {@link PluginInstance} the
 * plugin server uses; {@link #runOverSocket(ServerProcess)} runs the same scenario against a real
 * plugin server process over its Unix socket, speaking Kong's side of the protocol.
 *
 * <p>A tester is a reusable description: every run starts from a fresh simulated Kong and fresh
 * plugin instances.
 */
public final class PluginTester {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Object> plugins = new ArrayList<>(); // JavaSpec or LuaStandIn
  private TestRequest request = TestRequest.get("http://example.com/").build();
  private Upstream upstream = UpstreamResponse.echo();
  private final List<Consumer<FakeKong.Builder>> settings = new ArrayList<>();

  private PluginTester() {}

  /**
   * Starts a tester for the plugin class, found through its generated {@link PluginDescriptor}.
   *
   * @param pluginClass a class annotated with {@code @KongPlugin}
   * @return the tester, with an empty config ({@code {}})
   */
  public static PluginTester forPlugin(Class<?> pluginClass) {
    return forPlugin(PluginDescriptor.of(pluginClass));
  }

  /**
   * Starts a tester for the plugin {@code descriptor} describes.
   *
   * @param descriptor the plugin
   * @return the tester, with an empty config ({@code {}})
   */
  public static PluginTester forPlugin(PluginDescriptor descriptor) {
    PluginTester tester = new PluginTester();
    tester.plugins.add(new JavaSpec(Objects.requireNonNull(descriptor, "descriptor"), "{}"));
    return tester;
  }

  /**
   * Starts a tester for a plugin known only by name, priority and phases, as its server's {@code
   * -dump} lists it; such a tester runs only over a socket ({@link #runOverSocket(ServerProcess)}).
   *
   * @param name the plugin name
   * @param priority its priority
   * @param phases its phases
   * @return the tester, with an empty config ({@code {}})
   */
  public static PluginTester forServedPlugin(String name, int priority, List<Phase> phases) {
    return forPlugin(new ServedPlugin(name, priority, phases));
  }

  /**
   * Sets the config of the plugin added last, as the JSON Kong would send (schema defaults apply).
   *
   * @param json a JSON object
   * @return this tester
   */
  public PluginTester config(String json) {
    if (!(plugins.get(plugins.size() - 1) instanceof JavaSpec last)) {
      throw new IllegalStateException("config(...) applies to a Java plugin; the last one added is a stand-in");
    }
    plugins.set(plugins.size() - 1, new JavaSpec(last.descriptor, Objects.requireNonNull(json, "json")));
    return this;
  }

  /**
   * Sets the config of the plugin added last from its config record.
   *
   * @param config the record, written as JSON
   * @return this tester
   */
  public PluginTester config(Record config) {
    try {
      return config(JSON.writeValueAsString(config));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the config record as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Checks the config of the plugin added last as the plugin server does when Kong starts an
   * instance: binds the JSON to the config record (schema defaults, types, required fields,
   * {@code one_of}, ranges, lengths, patterns) and creates the plugin, which may reject it in its
   * constructor; then closes the plugin again.
   *
   * <pre>{@code
   * IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
   *     () -> PluginTester.forPlugin(Hello.class).config("{\"message\":42}").validateConfig());
   * }</pre>
   *
   * @return the bound config record, or {@code null} for a plugin without config
   * @throws IllegalArgumentException when Kong's plugin server would refuse the config; the message
   *     names the plugin and the field
   */
  public Record validateConfig() {
    if (!(plugins.get(plugins.size() - 1) instanceof JavaSpec last) || last.descriptor instanceof ServedPlugin) {
      throw new IllegalStateException("validateConfig() applies to a Java plugin run in process");
    }
    PluginInstance instance;
    try {
      instance = PluginInstance.start(last.descriptor, last.kongConfig());
    } catch (ConfigException e) {
      throw new IllegalArgumentException("config of plugin '" + last.descriptor.name() + "': " + e.getMessage(), e);
    }
    instance.close();
    return instance.config();
  }

  /**
   * Returns the Kong schema of the plugin added last, as its server's {@code -dump} prints it and
   * Kong validates configs with: {@code {"name": ..., "fields": [{"config": {"type": "record", ...}}]}}.
   *
   * @return the schema JSON generated from the config record at compile time
   */
  public String schemaJson() {
    if (!(plugins.get(plugins.size() - 1) instanceof JavaSpec last) || last.descriptor instanceof ServedPlugin) {
      throw new IllegalStateException("schemaJson() applies to a Java plugin compiled with this kit");
    }
    return last.descriptor.schemaJson();
  }

  /**
   * Adds another Java plugin to the run; plugins run by priority, not in the order added.
   *
   * @param pluginClass a class annotated with {@code @KongPlugin}
   * @param configJson its config
   * @return this tester
   */
  public PluginTester withPlugin(Class<?> pluginClass, String configJson) {
    return withPlugin(PluginDescriptor.of(pluginClass), configJson);
  }

  /**
   * Adds another Java plugin to the run.
   *
   * @param descriptor the plugin
   * @param configJson its config
   * @return this tester
   */
  public PluginTester withPlugin(PluginDescriptor descriptor, String configJson) {
    plugins.add(new JavaSpec(descriptor, configJson));
    return this;
  }

  /**
   * Adds a stand-in for a Lua plugin to the run.
   *
   * @param standIn the stand-in
   * @return this tester
   */
  public PluginTester withPlugin(LuaStandIn standIn) {
    plugins.add(Objects.requireNonNull(standIn, "standIn"));
    return this;
  }

  /** Sets the client request (default {@code GET http://example.com/}). @param request the request @return this tester */
  public PluginTester request(TestRequest request) {
    this.request = Objects.requireNonNull(request, "request");
    return this;
  }

  /** Sets the client request from a builder. @param request the builder @return this tester */
  public PluginTester request(TestRequest.Builder request) {
    return request(request.build());
  }

  /** Sets the upstream (default {@link UpstreamResponse#echo()}). @param upstream the upstream @return this tester */
  public PluginTester upstream(Upstream upstream) {
    this.upstream = Objects.requireNonNull(upstream, "upstream");
    return this;
  }

  /** Sets a canned upstream response. @param response the response @return this tester */
  public PluginTester upstream(UpstreamResponse response) {
    return upstream(Upstream.canned(response));
  }

  /**
   * Changes the simulated gateway: route, service, consumers, trusted IPs, nginx vars, strictness.
   *
   * @param change applied to the settings of every run
   * @return this tester
   */
  public PluginTester kong(Consumer<FakeKong.Builder> change) {
    settings.add(Objects.requireNonNull(change, "change"));
    return this;
  }

  /**
   * Runs the request with every Java plugin in process; afterwards the plugin objects are closed
   * (those that are {@link AutoCloseable}), as the plugin server closes an instance Kong closes.
   * Plugins that take a {@code PluginMetrics} record into {@link TestResult#meters()}.
   *
   * @return what happened
   * @throws UnsimulatedCallError when a plugin called a function FakeKong does not simulate
   * @throws IllegalArgumentException when a plugin's config cannot be bound
   */
  public TestResult run() {
    // As over the socket, the instances of a run are closed afterwards (AutoCloseable plugins).
    return runWith(this::startInProcess, JavaPlugin::close);
  }

  private JavaPlugin startInProcess(JavaSpec java, List<Throwable> failures, RecordedMeters meters) {
    if (java.descriptor instanceof ServedPlugin) {
      throw new IllegalStateException("plugin '" + java.descriptor.name()
          + "' is known only from its server; run it with runOverSocket(...)");
    }
    try {
      return new JavaPlugin(PluginInstance.start(java.descriptor, java.kongConfig(),
          meters.forPlugin(java.descriptor.name())), failures);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("config of plugin '" + java.descriptor.name() + "': " + e.getMessage(), e);
    }
  }

  /**
   * Runs the request with every Java plugin served by {@code server}, a real plugin server process,
   * over its Unix socket, in the protocol the plugins chose (MessagePack, or Kong's ProtoBuf
   * protocol for {@code @KongPlugin(protocol = PROTOBUF)}); stand-ins still run in process. Instances are started with the configs
   * given here and closed afterwards.
   *
   * @param server a running plugin server that serves the Java plugins of this tester
   * @return what happened
   * @throws UnsimulatedCallError when a plugin called a function FakeKong does not simulate
   */
  public TestResult runOverSocket(ServerProcess server) {
    if (protocol() == Protocol.PROTOBUF) {
      return runOverProtobuf(server.socket());
    }
    try (KongClient client = KongClient.connect(server.socket(), KongClient.Options.defaults())) {
      return runOver(client);
    }
  }

  /**
   * Runs the request over an already connected client. See {@link #runOverSocket(ServerProcess)}.
   *
   * @param client the Kong-side client
   * @return what happened
   */
  public TestResult runOver(KongClient client) {
    return runWith(
        (java, failures) -> new RemotePlugin(client, java.descriptor.name(), java.descriptor.priority(),
            java.phases(), java.kongConfig()),
        remote -> {
          try {
            client.closeInstance(remote.instanceId()); // the current id, also after a restart
          } catch (RuntimeException e) {
            // Kong ignores the CloseInstance reply too
          }
        });
  }

  /** The protocol of the Java plugins (MessagePack when there are none). */
  private Protocol protocol() {
    Set<Protocol> protocols = EnumSet.noneOf(Protocol.class);
    for (Object spec : plugins) {
      if (spec instanceof JavaSpec java) {
        protocols.add(java.descriptor.protocol());
      }
    }
    if (protocols.size() > 1) {
      throw new IllegalStateException("the Java plugins use different protocols; Kong speaks one"
          + " protocol per plugin server, so test them with separate servers");
    }
    return protocols.isEmpty() ? Protocol.MSGPACK : protocols.iterator().next();
  }

  /** {@link #runOverSocket} for plugins that speak Kong's ProtoBuf protocol. */
  private TestResult runOverProtobuf(java.nio.file.Path socket) {
    return runWith(
        (java, failures) -> new RemotePbPlugin(socket, java.descriptor.name(), java.descriptor.priority(),
            java.phases(), java.kongConfig()),
        RemotePbPlugin::close);
  }

  /**
   * Runs the request: each Java plugin through {@code start}, each stand-in in process, in Kong's
   * order; afterwards {@code stop} releases every Java plugin that was started, however the run
   * ended.
   */
  private <P extends RunnablePlugin> TestResult runWith(
      BiFunction<JavaSpec, List<Throwable>, P> start, Consumer<P> stop) {
    return runWith((java, failures, meters) -> start.apply(java, failures), stop);
  }

  /** What starts a Java plugin of a run. */
  private interface Starter<P> {
    P start(JavaSpec java, List<Throwable> failures, RecordedMeters meters);
  }

  private <P extends RunnablePlugin> TestResult runWith(Starter<P> start, Consumer<P> stop) {
    List<Throwable> failures = new ArrayList<>();
    RecordedMeters meters = new RecordedMeters();
    List<RunnablePlugin> runnables = new ArrayList<>();
    List<P> started = new ArrayList<>();
    try {
      for (Object spec : plugins) {
        if (spec instanceof JavaSpec java) {
          P plugin = start.start(java, failures, meters);
          started.add(plugin);
          runnables.add(plugin);
        } else {
          runnables.add(((LuaStandIn) spec).runnable());
        }
      }
      return RequestRun.run(newKong(), runnables, failures, meters, request.scheme().equals("https"));
    } finally {
      started.forEach(stop);
    }
  }

  private FakeKong newKong() {
    FakeKong.Builder builder = FakeKong.builder(request).upstream(upstream);
    settings.forEach(change -> change.accept(builder));
    return builder.build();
  }

  /** A Java plugin and its config. */
  private record JavaSpec(PluginDescriptor descriptor, String configJson) {

    Set<Phase> phases() {
      return descriptor.phases().isEmpty() ? Set.of() : EnumSet.copyOf(descriptor.phases());
    }

    /** The config as Kong sends it: the plugin's settings plus the keys Kong injects. */
    String kongConfig() {
      try {
        JsonNode node = JSON.readTree(configJson);
        if (!(node instanceof ObjectNode object)) {
          return configJson; // the binder reports what is wrong
        }
        String pluginId = UUID.nameUUIDFromBytes(("plugin:" + descriptor.name()).getBytes(StandardCharsets.UTF_8)).toString();
        if (!object.has("__key__")) {
          object.put("__key__", "plugins:" + descriptor.name() + ":::::" + Entities.WORKSPACE_ID);
        }
        if (!object.has("__seq__")) {
          object.put("__seq__", 1);
        }
        if (!object.has("__plugin_id")) {
          object.put("__plugin_id", pluginId);
        }
        if (!object.has("__ws_id")) {
          object.put("__ws_id", Entities.WORKSPACE_ID);
        }
        return object.toString();
      } catch (JsonProcessingException e) {
        return configJson; // the binder reports what is wrong
      }
    }
  }

  /** A plugin served by a plugin server process. */
  private static final class RemotePlugin implements RunnablePlugin {
    private final KongClient client;
    private final String name;
    private final int priority;
    private final Set<Phase> phases;
    private final String config;
    private long instanceId;

    RemotePlugin(KongClient client, String name, int priority, Set<Phase> phases, String config) {
      this.client = client;
      this.name = name;
      this.priority = priority;
      this.phases = phases;
      this.config = config;
      this.instanceId = client.startInstance(name, config);
    }

    long instanceId() {
      return instanceId;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public int priority() {
      return priority;
    }

    @Override
    public Set<Phase> phases() {
      return phases;
    }

    @Override
    public void run(Phase phase, FakeKong kong) {
      try {
        client.handleEvent(instanceId, phase.luaName(), kong::call);
      } catch (NoPluginInstanceException e) {
        // Kong re-creates the instance and retries the event
        instanceId = client.startInstance(name, config);
        client.handleEvent(instanceId, phase.luaName(), kong::call);
      }
    }
  }
}
