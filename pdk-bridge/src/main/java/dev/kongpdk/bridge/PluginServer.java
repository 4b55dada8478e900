package dev.kongpdk.bridge;

import dev.kongpdk.bridge.internal.EventLimit;
import dev.kongpdk.bridge.internal.HandlerTimeouts;
import dev.kongpdk.bridge.internal.Instances;
import dev.kongpdk.bridge.internal.MsgpackServer;
import dev.kongpdk.bridge.internal.RpcDispatcher;
import dev.kongpdk.bridge.internal.ServerStats;
import dev.kongpdk.bridge.internal.Shedding;
import dev.kongpdk.bridge.internal.limits.ConfigLimit;
import dev.kongpdk.bridge.internal.limits.MemoryBudget;
import dev.kongpdk.bridge.internal.limits.MemoryReturn;
import dev.kongpdk.bridge.internal.limits.PeerLimits;
import dev.kongpdk.bridge.internal.limits.RefusalLog;
import dev.kongpdk.bridge.internal.event.Event;
import dev.kongpdk.bridge.internal.event.Events;
import dev.kongpdk.bridge.internal.pb.PbService;
import dev.kongpdk.bridge.internal.rpc.MsgpackCodec;
import dev.kongpdk.bridge.internal.transport.FirstMessageWait;
import dev.kongpdk.bridge.internal.transport.PeerCheck;
import dev.kongpdk.bridge.internal.transport.UnixSocketListener;
import dev.kongpdk.plugin.PluginDescriptor;
import dev.kongpdk.plugin.Protocol;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import javax.management.JMException;
import javax.management.ObjectName;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
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
  private final ServerStats stats;
  private final Instances instances;
  private final Events events = new Events();
  private final RpcDispatcher dispatcher;
  private final EventLimit eventLimit;
  private final HandlerTimeouts timeouts;
  private final MsgpackCodec codec;
  private final PeerLimits limits;
  private final Shedding pbShedding;
  private final RefusalLog acceptFailures = new RefusalLog(LOG, Duration.ofSeconds(10));
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
  private final MemoryReturn memoryReturn;
  /** New connections wait here, on one thread, until their first message has arrived. */
  private final FirstMessageWait firstMessages;

  private PluginServer(Builder config, UnixSocketListener listener) throws IOException {
    this.config = config;
    this.listener = listener;
    this.stats = new ServerStats(config.observer);
    this.limits = config.limits();
    MemoryBudget budget = new MemoryBudget(limits.maxBufferedBytes());
    this.codec = new MsgpackCodec(new MsgpackCodec.Limits(config.maxNestingDepth,
        MsgpackCodec.Limits.DEFAULT.maxElements(), limits.maxMessageBytes(),
        limits.maxDecodedBytes()), budget);
    this.peerCheck = new PeerCheck(config.peerUser);
    this.instances = new Instances(config.clock);
    this.timeouts = new HandlerTimeouts(config.plugins, config.eventTimeout());
    this.eventLimit = new EventLimit(config.maxEventsInFlight > 0 ? config.maxEventsInFlight
        : EventLimit.defaultFor(Runtime.getRuntime().maxMemory()));
    this.dispatcher = new RpcDispatcher(config.plugins, instances, events, stats, timeouts,
        eventLimit, new ConfigLimit(limits, budget));
    this.protocol = config.plugins.get(0).protocol();
    this.pb = protocol == Protocol.PROTOBUF
        ? new PbService(config.plugins, instances, stats, timeouts, eventLimit, limits, budget,
            this::servePb)
        : null;
    this.msgpack = protocol == Protocol.PROTOBUF
        ? null : new MsgpackServer(dispatcher, codec, stats, limits);
    this.pbShedding = pb == null ? null : new Shedding("kong-pdk-pb-shed", stats);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    this.memoryReturn = new MemoryReturn(
        () -> budget.takePeak() + threads.getThreadCount() * MemoryReturn.PER_THREAD,
        Runtime.getRuntime()::totalMemory, MemoryReturn.DEFAULT_THRESHOLD,
        MemoryReturn.DEFAULT_INFLATED, PluginServer::returnMemory);
    this.janitor =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("kong-pdk-janitor").factory());
    this.firstMessages = new FirstMessageWait(
        msgpack != null ? MsgpackServer::firstMessageReady : PbService::firstFrameReady, this::serve,
        limits.maxConnections(), limits.readTimeout(), budget, stats);
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
    LOG.log(Level.DEBUG, "limits: {0}", limits);
    // Event waits are untimed (cheaper); this ends the ones that outlive their limits, at most
    // a quarter of a second late (the default limit leaves Kong's read timeout 5 s of margin).
    Duration eventTimeout = config.eventTimeout();
    long check = Math.clamp(timeouts.shortest().toMillis() / 8, 10, 250);
    janitor.scheduleWithFixedDelay(
        pb == null ? dispatcher::expireEvents : pb::expire, check, check, TimeUnit.MILLISECONDS);
    LOG.log(Level.INFO, "serving {0} on {1} ({2}); events answered within {3} ms, at most {4} in"
        + " flight", names(), listener.path(), protocol.wireName(),
        String.valueOf(eventTimeout.toMillis()), String.valueOf(eventLimit.max()));
    if (eventTimeout.compareTo(config.kongReadTimeout) >= 0) {
      LOG.log(Level.WARNING, "the event timeout ({0} ms) is not below Kong''s socket read timeout"
          + " ({1} ms, --kong-read-timeout): Kong gives up on a slow handler first and lets the"
          + " request through without the plugin", String.valueOf(eventTimeout.toMillis()),
          String.valueOf(config.kongReadTimeout.toMillis()));
    }
    janitor.scheduleWithFixedDelay(
        () -> memoryReturn.check(System.nanoTime()), 1, 1, TimeUnit.SECONDS);
    config.observer.serverStarted(this);
    return this;
  }

  /**
   * Accepts connections until the server closes. A failed accept (out of file descriptors, for
   * example) is logged, counted and retried after a pause that doubles up to a second, so the
   * server serves again as soon as descriptors are free.
   */
  private void acceptLoop() {
    long pauseMillis = 0;
    while (!closing) {
      SocketChannel channel;
      try {
        channel = listener.accept();
        pauseMillis = 0;
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (closing) {
          return;
        }
        stats.acceptFailed();
        pauseMillis = Math.clamp(pauseMillis * 2, 10, 1000);
        acceptFailures.refused("accepting a connection failed: " + e.getMessage()
            + "; retrying in " + pauseMillis + " ms");
        if (!pause(pauseMillis)) {
          return;
        }
        continue;
      }
      if (admit(channel)) {
        firstMessages.add(channel);
      }
    }
  }

  /**
   * Serves a connection whose first message has arrived ({@code firstBytes}), or sheds it when
   * the server serves as many connections as it may.
   */
  private void serve(SocketChannel channel, ByteBuffer firstBytes) {
    if (msgpack != null) {
      msgpack.serve(channel, firstBytes);
      return;
    }
    if (connections.size() >= limits.maxConnections()) {
      Runnable shed = pb.shedConnection(channel, firstBytes);
      pbShedding.shed(channel, "it serves " + limits.maxConnections() + " connections already",
          shed);
      return;
    }
    servePb(channel, pb.connection(channel, firstBytes));
  }

  /**
   * Serves a ProtoBuf connection on a thread of its own, counted among the connections until
   * that thread ends, unless the connection has gone on to another thread (that of a timed-out
   * event whose handler still holds the first one).
   */
  private void servePb(SocketChannel channel, Runnable serve) {
    Thread thread =
        Thread.ofPlatform()
            .daemon()
            .name("kong-pdk-pb-conn")
            .unstarted(
                () -> {
                  try {
                    serve.run();
                  } finally {
                    connections.remove(channel, Thread.currentThread());
                  }
                });
    connections.put(channel, thread);
    thread.start();
  }

  /** Waits {@code millis} unless the server closes first; false when it did. */
  private boolean pause(long millis) {
    try {
      return !closed.await(millis, TimeUnit.MILLISECONDS) && !closing;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
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

  /**
   * Runs one full collection, so that the heap a burst grew and the native buffers of its closed
   * connections go back to the system (see {@link MemoryReturn}). An operator who runs the JVM
   * with {@code -XX:+DisableExplicitGC} turns this off.
   */
  private static void returnMemory() {
    Runtime runtime = Runtime.getRuntime();
    long before = runtime.totalMemory();
    runtime.gc();
    LOG.log(Level.INFO, "the load has gone down: a full collection returned the heap a burst"
        + " grew ({0} MiB committed before, {1} MiB after)", before >> 20,
        runtime.totalMemory() >> 20);
  }

  /** Removes the instances idle for longer than the idle timeout (run periodically). */
  void expireIdleInstances() {
    Map<String, Integer> expired = instances.removeIdle(config.instanceIdleTimeout);
    expired.forEach((plugin, count) -> {
      stats.instancesExpired(plugin, count);
      LOG.log(Level.INFO, "plugin ''{0}'': removed {1} instance(s) Kong had not used for {2} s",
          plugin, count, config.instanceIdleTimeout.toSeconds());
    });
  }

  /** Returns the socket the server listens on. */
  public Path socket() {
    return listener.path();
  }

  /** Returns the cap on events in flight beyond which new events are shed. */
  public int maxEventsInFlight() {
    return eventLimit.max();
  }

  /** Returns how long a handler may run without calling Kong or returning (the event timeout). */
  public Duration eventTimeout() {
    return config.eventTimeout();
  }

  /**
   * Returns the number of handlers still running, which is what the cap on events in flight
   * counts: a handler that outlives its event (stuck in a call to a hung service) still holds a
   * thread and memory.
   */
  public int handlersRunning() {
    return eventLimit.inFlight();
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

  /** Returns the number of connections being served (shed ones not included). */
  public int connectionCount() {
    return msgpack != null ? msgpack.connectionCount() : connections.size();
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
    firstMessages.close();
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
        pbShedding.close();
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
    config.observer.close();
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

  /** nginx's default {@code lua_socket_read_timeout}, which Kong keeps. */
  static final Duration KONG_DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

  /** Settings of a {@link PluginServer}. */
  public static final class Builder {
    private static final Duration DEFAULT_MARGIN = Duration.ofSeconds(5);
    private List<PluginDescriptor> plugins = List.of();
    private Path socket;
    private Duration kongReadTimeout = KONG_DEFAULT_READ_TIMEOUT;
    private Duration eventTimeout;
    private int maxEventsInFlight;
    private Duration instanceIdleTimeout = Duration.ofMinutes(10);
    private Duration drainTimeout = Duration.ofSeconds(10);
    private String socketGroup;
    private String peerUser;
    private PeerLimits limits = PeerLimits.forThisProcess();
    private int maxNestingDepth = MsgpackCodec.Limits.DEFAULT.maxDepth();
    private boolean jmx;
    private ServerObserver observer = ServerObserver.NONE;
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

    /**
     * Tells {@code observer} what the server does, per plugin and phase (metrics); the server
     * closes it when it stops. Default {@link ServerObserver#NONE}.
     */
    public Builder observer(ServerObserver observer) {
      this.observer = Objects.requireNonNull(observer, "observer");
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

    /**
     * The largest message accepted, in wire bytes (default: an eighth of the heap, between 1 and
     * 64 MiB; 16 MiB with the launcher's 128 MiB heap); a larger one closes its connection. The
     * whole message counts, not each value.
     */
    public Builder maxMessageBytes(int maxMessageBytes) {
      this.limits = limits.withMaxMessageBytes(maxMessageBytes);
      return this;
    }

    /**
     * The largest estimated heap one decoded message may take (default: a quarter of the heap):
     * small nested values decode to many times their wire size, which this counts.
     */
    public Builder maxDecodedBytes(long maxDecodedBytes) {
      this.limits = limits.withMaxDecodedBytes(maxDecodedBytes);
      return this;
    }

    /**
     * The estimated heap the messages of all connections together may hold while they are read
     * and handled (default: half the heap); a message that does not fit closes its connection.
     */
    public Builder maxBufferedBytes(long maxBufferedBytes) {
      this.limits = limits.withMaxBufferedBytes(maxBufferedBytes);
      return this;
    }

    /**
     * The largest plugin config accepted, in bytes of JSON (default: a 64th of the heap, 2 MiB
     * with the launcher's heap); a larger one is rejected like an invalid config.
     */
    public Builder maxConfigBytes(int maxConfigBytes) {
      this.limits = limits.withMaxConfigBytes(maxConfigBytes);
      return this;
    }

    /** The configs of all live instances together, in bytes (default: an eighth of the heap). */
    public Builder maxTotalConfigBytes(long maxTotalConfigBytes) {
      this.limits = limits.withMaxTotalConfigBytes(maxTotalConfigBytes);
      return this;
    }

    /**
     * How many connections are served at once (default: one per 64 KiB of heap, at most a
     * quarter of the open-file limit; 2,048 with the launcher's heap). Kong keeps up to 256 idle
     * connections per worker. A connection beyond the limit is shed: its request is answered
     * without starting an event (the plugin's failure policy: 500 by default) and it is closed.
     */
    public Builder maxConnections(int maxConnections) {
      this.limits = limits.withMaxConnections(maxConnections);
      return this;
    }

    /**
     * How long a message that has started may take to arrive completely (default 10 s); a slower
     * one closes its connection. Idle connections between messages are never closed.
     */
    public Builder readTimeout(Duration readTimeout) {
      this.limits = limits.withReadTimeout(positive(readTimeout, "readTimeout"));
      return this;
    }

    PeerLimits limits() {
      return limits;
    }

    /** All the peer limits at once (tests use the launcher's defaults whatever their own heap). */
    Builder limits(PeerLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
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
     * Kong's socket read timeout (nginx's {@code lua_socket_read_timeout}; 60 s unless the
     * operator changed it): how long Kong waits for each answer before it gives up on the event
     * and lets the request through without the plugin. The event timeout defaults to
     * {@linkplain #eventTimeoutFor a margin below it}, so the server always answers first.
     */
    public Builder kongReadTimeout(Duration kongReadTimeout) {
      this.kongReadTimeout = positive(kongReadTimeout, "kongReadTimeout");
      return this;
    }

    /**
     * How long either side of an event may take for its next step before the event is ended: a
     * handler that neither calls Kong nor returns (Kong is then answered with the plugin's
     * failure policy), or Kong never answering a PDK call (it does not after a Lua error).
     * Default: {@linkplain #eventTimeoutFor a margin below} {@link #kongReadTimeout}, 55 s for
     * Kong's default of 60 s. Set it explicitly only below Kong's read timeout.
     */
    public Builder eventTimeout(Duration eventTimeout) {
      this.eventTimeout = positive(eventTimeout, "eventTimeout");
      return this;
    }

    /**
     * The most events in flight (from Kong's {@code HandleEvent} until the handler has returned);
     * beyond it new events are answered at once with the plugin's failure policy and counted as
     * shed. Default: derived from the maximum heap, 247 for the launcher's 128 MiB.
     */
    public Builder maxEventsInFlight(int maxEventsInFlight) {
      if (maxEventsInFlight < 1) {
        throw new IllegalArgumentException("maxEventsInFlight must be at least 1");
      }
      this.maxEventsInFlight = maxEventsInFlight;
      return this;
    }

    /**
     * Returns the default event timeout for Kong's read timeout {@code kongRead}: 5 s below it,
     * or a quarter below when that is less than 20 s (the server's check runs every second at
     * most, so the margin covers it and a slow answer's way back).
     */
    public static Duration eventTimeoutFor(Duration kongRead) {
      Duration margin = kongRead.dividedBy(4);
      return kongRead.minus(margin.compareTo(DEFAULT_MARGIN) > 0 ? DEFAULT_MARGIN : margin);
    }

    Duration eventTimeout() {
      return eventTimeout != null ? eventTimeout : eventTimeoutFor(kongReadTimeout);
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
      new HandlerTimeouts(plugins, eventTimeout()); // a bad @PhaseTimeout fails before binding
      UnixSocketListener listener = UnixSocketListener.bind(socket, socketGroup);
      try {
        return new PluginServer(this, listener).begin();
      } catch (IOException | RuntimeException e) {
        listener.close();
        throw e;
      }
    }

    private static Duration positive(Duration value, String name) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return value;
    }
  }
}
