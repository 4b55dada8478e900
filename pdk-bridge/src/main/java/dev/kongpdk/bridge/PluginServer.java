package dev.kongpdk.bridge;

import dev.kongpdk.bridge.internal.Instances;
import dev.kongpdk.bridge.internal.MsgpackServer;
import dev.kongpdk.bridge.internal.RpcDispatcher;
import dev.kongpdk.bridge.internal.ServerStats;
import dev.kongpdk.bridge.internal.event.Event;
import dev.kongpdk.bridge.internal.event.Events;
import dev.kongpdk.bridge.internal.pb.PbService;
import dev.kongpdk.bridge.internal.rpc.MsgpackCodec;
import dev.kongpdk.bridge.internal.transport.PeerCheck;
import dev.kongpdk.bridge.internal.transport.UnixSocketListener;
import dev.kongpdk.plugin.PluginDescriptor;
import dev.kongpdk.plugin.Protocol;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The plugin server Kong talks to: listens on a Unix socket and answers Kong's MessagePack-RPC
 * (or, for plugins that choose it, Kong's ProtoBuf protocol) for the plugins it serves.
 *
 * <pre>{@code
 * try (PluginServer server = PluginServer.builder()
 *     .plugin(PluginDescriptor.of(Hello.class))
 *     .socket(Path.of("/usr/local/kong/hello.socket"))
 *     .start()) {
 *   server.awaitClose();
 * }
 * }</pre>
 *
 * <p>MessagePack connections are served on platform threads, and an event's handler runs on the
 * thread that read its {@code plugin.HandleEvent}, which also reads the Steps that come back on
 * the same connection (see {@code docs/architecture.md}). A ProtoBuf connection carries a whole
 * event; its handler runs on the thread that reads that connection, which does the event's socket
 * I/O itself.
 * {@link #close()} stops accepting, lets events in flight finish (at most the drain timeout),
 * closes the connections and removes the socket file.
 */
public final class PluginServer implements AutoCloseable, PluginServerMXBean {

  private static final System.Logger LOG = System.getLogger(PluginServer.class.getName());

  private final Builder config;
  private final UnixSocketListener listener;
  private final ServerStats stats = new ServerStats();
  private final Instances instances;
  private final Events events = new Events();
  private final RpcDispatcher dispatcher;
  private final MsgpackCodec codec;
  private final PeerCheck peerCheck;
  private final Protocol protocol;
  /** Only for a ProtoBuf server: its method table costs several MiB that MessagePack never needs. */
  private final PbService pb;
  /** Only for a MessagePack server. */
  private final MsgpackServer msgpack;
  private ObjectName jmxName;
  private final Map<SocketChannel, Thread> connections = new ConcurrentHashMap<>();
  private final ScheduledExecutorService janitor;
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile boolean closing;
  private Thread acceptor;

  private PluginServer(Builder config, UnixSocketListener listener) {
    this.config = config;
    this.listener = listener;
    this.codec = new MsgpackCodec(new MsgpackCodec.Limits(
        config.maxNestingDepth, MsgpackCodec.Limits.DEFAULT.maxElements(), config.maxMessageBytes));
    this.peerCheck = new PeerCheck(config.peerUser);
    this.instances = new Instances(config.clock);
    this.dispatcher =
        new RpcDispatcher(config.plugins, instances, events, stats, config.eventTimeout);
    this.protocol = config.plugins.get(0).protocol();
    this.pb = protocol == Protocol.PROTOBUF
        ? new PbService(config.plugins, instances, stats, config.eventTimeout, config.maxMessageBytes)
        : null;
    this.msgpack = protocol == Protocol.PROTOBUF ? null : new MsgpackServer(dispatcher, codec, stats);
    this.janitor =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("kong-pdk-janitor").factory());
  }

  /** Returns a builder for a server. */
  public static Builder builder() {
    return new Builder();
  }

  private PluginServer begin() {
    if (config.jmx) {
      registerMBean();
    }
    acceptor = Thread.ofPlatform().daemon().name("kong-pdk-accept").start(this::acceptLoop);
    long every = Math.max(1, config.instanceIdleTimeout.toSeconds() / 4);
    janitor.scheduleWithFixedDelay(this::expireIdleInstances, every, every, TimeUnit.SECONDS);
    // Event waits are untimed (cheaper); this ends the ones that outlive the event timeout.
    long check = Math.clamp(config.eventTimeout.toMillis() / 8, 10, 1000);
    janitor.scheduleWithFixedDelay(pb == null ? events::expire : pb::expire, check, check,
        TimeUnit.MILLISECONDS);
    LOG.log(Level.INFO, "serving {0} on {1} ({2})", names(), listener.path(), protocol.wireName());
    return this;
  }

  private void acceptLoop() {
    while (!closing) {
      SocketChannel channel;
      try {
        channel = listener.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (!closing) {
          LOG.log(Level.ERROR, "accept failed: " + e.getMessage());
        }
        return;
      }
      if (!admit(channel)) {
        continue;
      }
      if (msgpack != null) {
        msgpack.serve(channel);
        continue;
      }
      Runnable serve = pb.connection(channel);
      Thread thread =
          Thread.ofPlatform()
              .daemon()
              .name("kong-pdk-pb-conn")
              .unstarted(
                  () -> {
                    try {
                      serve.run();
                    } finally {
                      connections.remove(channel);
                    }
                  });
      connections.put(channel, thread);
      thread.start();
    }
  }

  private boolean admit(SocketChannel channel) {
    String refused;
    try {
      refused = peerCheck.reject(channel);
    } catch (IOException e) {
      refused = "cannot read the peer's credentials: " + e.getMessage();
    }
    if (refused == null) {
      return true;
    }
    stats.rejectedPeer();
    LOG.log(Level.WARNING, refused);
    try {
      channel.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing a refused connection: " + e.getMessage());
    }
    return false;
  }

  private void registerMBean() {
    try {
      jmxName = new ObjectName("dev.kongpdk:type=PluginServer,socket="
          + ObjectName.quote(listener.path().toString()));
      ManagementFactory.getPlatformMBeanServer().registerMBean(this, jmxName);
    } catch (JMException e) {
      jmxName = null;
      LOG.log(Level.WARNING, "metrics are not published over JMX: " + e.getMessage());
    }
  }

  private void unregisterMBean() {
    if (jmxName != null) {
      try {
        ManagementFactory.getPlatformMBeanServer().unregisterMBean(jmxName);
      } catch (JMException e) {
        LOG.log(Level.DEBUG, "unregistering the JMX bean: " + e.getMessage());
      }
    }
  }

  /** Removes the instances idle for longer than the idle timeout (run periodically). */
  void expireIdleInstances() {
    int expired = instances.removeIdle(config.instanceIdleTimeout);
    if (expired > 0) {
      stats.instancesExpired(expired);
      LOG.log(Level.INFO, "removed {0} instance(s) Kong had not used for {1} s", expired,
          config.instanceIdleTimeout.toSeconds());
    }
  }

  /** Returns the socket the server listens on. */
  public Path socket() {
    return listener.path();
  }

  /** Returns the number of events in flight. */
  public int eventsInFlight() {
    return events.size() + (pb == null ? 0 : pb.eventsInFlight());
  }

  /**
   * Waits until the events now in flight have ended (each is forgotten before it counts as
   * ended), at most {@code timeout}.
   *
   * @param timeout how long to wait at most
   * @return whether no event is in flight any more
   * @throws InterruptedException when interrupted while waiting
   */
  public boolean awaitEventsEnded(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Event event : List.copyOf(events.all())) {
      event.awaitEnd(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    if (pb != null) {
      pb.drain(deadline);
    }
    return eventsInFlight() == 0;
  }

  /** Returns the number of live plugin instances. */
  public int instanceCount() {
    return instances.all().size();
  }

  /** Returns the server's counters, as {@code plugin.GetStatus} reports them. */
  public Map<String, Long> counters() {
    return stats.snapshot();
  }

  @Override
  public String getPlugins() {
    return names();
  }

  @Override
  public int getEventsInFlight() {
    return eventsInFlight();
  }

  @Override
  public int getInstances() {
    return instanceCount();
  }

  @Override
  public Map<String, Long> getCounters() {
    return counters();
  }

  /** Blocks until {@link #close()} has finished. */
  public void awaitClose() throws InterruptedException {
    closed.await();
  }

  /**
   * Stops the server: stops accepting connections and removes the socket file, lets events in
   * flight finish within the drain timeout, then ends the rest and closes every connection.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
    }
    try {
      listener.close();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not remove " + listener.path() + ": " + e.getMessage());
    }
    long deadline = System.nanoTime() + config.drainTimeout.toNanos();
    try {
      if (!awaitEventsEnded(config.drainTimeout)) {
        for (Event event : List.copyOf(events.all())) {
          event.end("the plugin server is shutting down");
        }
      }
      // Let each connection finish the response it is writing, then see end of input and close.
      long grace = Math.max(deadline - System.nanoTime(), Duration.ofSeconds(1).toNanos());
      if (msgpack != null) {
        msgpack.close(Duration.ofNanos(grace));
      }
      for (SocketChannel channel : List.copyOf(connections.keySet())) {
        shutdownInput(channel);
      }
      for (Thread thread : List.copyOf(connections.values())) {
        if (thread.getState() != Thread.State.NEW) { // the accept loop may be about to start it
          thread.join(Duration.ofNanos(Math.max(1, grace)));
        }
      }
      if (pb != null) {
        pb.close(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    janitor.shutdownNow();
    try {
      // nothing of the server outlives close()
      acceptor.join(Duration.ofSeconds(5));
      janitor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    unregisterMBean();
    instances.closeAll();
    for (SocketChannel channel : List.copyOf(connections.keySet())) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.log(Level.DEBUG, "closing a connection: " + e.getMessage());
      }
    }
    LOG.log(Level.INFO, "stopped serving {0}", names());
    closed.countDown();
  }

  private static void shutdownInput(SocketChannel channel) {
    try {
      channel.shutdownInput();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "shutting down a connection: " + e.getMessage());
    }
  }

  private String names() {
    return String.join(", ", config.plugins.stream().map(PluginDescriptor::name).toList());
  }

  /** Settings of a {@link PluginServer}. */
  public static final class Builder {
    private List<PluginDescriptor> plugins = List.of();
    private Path socket;
    private Duration eventTimeout = Duration.ofSeconds(60);
    private Duration instanceIdleTimeout = Duration.ofMinutes(10);
    private Duration drainTimeout = Duration.ofSeconds(10);
    private String socketGroup;
    private String peerUser;
    private int maxMessageBytes = MsgpackCodec.Limits.DEFAULT.maxBytes();
    private int maxNestingDepth = MsgpackCodec.Limits.DEFAULT.maxDepth();
    private boolean jmx;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Publishes the server's counters over JMX as {@code dev.kongpdk:type=PluginServer,socket="<path>"}
     * (off by default: the JMX machinery costs about 4 MiB of memory; {@code plugin.GetStatus}
     * reports the same counters without it).
     */
    public Builder jmx(boolean jmx) {
      this.jmx = jmx;
      return this;
    }

    /** The clock instance idleness is measured with (tests move it). */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Lets members of {@code group} connect too (the socket is owner-only by default), for Kong
     * running as another user of that group.
     */
    public Builder socketGroup(String group) {
      this.socketGroup = group;
      return this;
    }

    /** Accepts connections only from processes running as {@code user} (checked with SO_PEERCRED). */
    public Builder peerUser(String user) {
      this.peerUser = user;
      return this;
    }

    /** The largest message accepted, in bytes (default 64 MiB); a larger one closes its connection. */
    public Builder maxMessageBytes(int maxMessageBytes) {
      if (maxMessageBytes < 1024) {
        throw new IllegalArgumentException("maxMessageBytes must be at least 1024");
      }
      this.maxMessageBytes = maxMessageBytes;
      return this;
    }

    /** The deepest nesting of arrays and maps accepted (default 64). */
    public Builder maxNestingDepth(int maxNestingDepth) {
      if (maxNestingDepth < 4) {
        throw new IllegalArgumentException("maxNestingDepth must be at least 4");
      }
      this.maxNestingDepth = maxNestingDepth;
      return this;
    }

    /** The plugins to serve (one per server for Kong 3.9+). */
    public Builder plugins(List<PluginDescriptor> plugins) {
      this.plugins = List.copyOf(plugins);
      return this;
    }

    /** The one plugin to serve. */
    public Builder plugin(PluginDescriptor plugin) {
      return plugins(List.of(plugin));
    }

    /** The socket path, for example {@code /usr/local/kong/hello.socket}. */
    public Builder socket(Path socket) {
      this.socket = socket;
      return this;
    }

    /**
     * How long either side of an event may take for its next step before the event is ended
     * (default 60 s, Kong's own socket timeout): a handler that neither calls Kong nor returns,
     * or Kong never answering a PDK call (it does not after a Lua error).
     */
    public Builder eventTimeout(Duration eventTimeout) {
      this.eventTimeout = positive(eventTimeout, "eventTimeout");
      return this;
    }

    /** How long an instance Kong does not use is kept (default 10 minutes). */
    public Builder instanceIdleTimeout(Duration instanceIdleTimeout) {
      this.instanceIdleTimeout = positive(instanceIdleTimeout, "instanceIdleTimeout");
      return this;
    }

    /** How long {@link PluginServer#close()} waits for events in flight (default 10 s). */
    public Builder drainTimeout(Duration drainTimeout) {
      this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
      return this;
    }

    /**
     * Binds the socket and starts serving.
     *
     * @throws IOException when the socket cannot be bound, with the reason
     */
    public PluginServer start() throws IOException {
      if (plugins.isEmpty()) {
        throw new IllegalStateException("no plugin to serve");
      }
      Objects.requireNonNull(socket, "socket");
      Protocol protocol = plugins.get(0).protocol();
      for (PluginDescriptor plugin : plugins) {
        if (plugin.protocol() != protocol) {
          throw new IllegalStateException("plugins '" + plugins.get(0).name() + "' ("
              + protocol.wireName() + ") and '" + plugin.name() + "' (" + plugin.protocol().wireName()
              + ") use different protocols; Kong speaks one protocol per plugin server, so serve"
              + " them from separate servers");
        }
      }
      return new PluginServer(this, UnixSocketListener.bind(socket, socketGroup)).begin();
    }

    private static Duration positive(Duration value, String name) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return value;
    }
  }
}
