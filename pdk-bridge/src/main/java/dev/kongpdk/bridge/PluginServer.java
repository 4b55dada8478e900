package dev.kongpdk.bridge;

import dev.kongpdk.bridge.internal.Instances;
import dev.kongpdk.bridge.internal.RpcDispatcher;
import dev.kongpdk.bridge.internal.ServerStats;
import dev.kongpdk.bridge.internal.event.Event;
import dev.kongpdk.bridge.internal.event.Events;
import dev.kongpdk.bridge.internal.rpc.MsgpackCodec;
import dev.kongpdk.bridge.internal.rpc.RpcConnection;
import dev.kongpdk.bridge.internal.transport.UnixSocketListener;
import dev.kongpdk.plugin.PluginDescriptor;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The plugin server Kong talks to: listens on a Unix socket and answers Kong's MessagePack-RPC
 * for the plugins it serves.
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
 * <p>Each connection is served on its own virtual thread and each event's handler on another;
 * plugin code never runs on a connection thread. {@link #close()} stops accepting, lets events in
 * flight finish (at most the drain timeout), closes the connections and removes the socket file.
 */
public final class PluginServer implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(PluginServer.class.getName());

  private final Builder config;
  private final UnixSocketListener listener;
  private final ServerStats stats = new ServerStats();
  private final Instances instances = new Instances(Clock.systemUTC());
  private final Events events = new Events();
  private final RpcDispatcher dispatcher;
  private final MsgpackCodec codec = new MsgpackCodec(MsgpackCodec.Limits.DEFAULT);
  private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService janitor;
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile boolean closing;

  private PluginServer(Builder config, UnixSocketListener listener) {
    this.config = config;
    this.listener = listener;
    this.dispatcher =
        new RpcDispatcher(config.plugins, instances, events, stats, config.eventTimeout);
    this.janitor =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("kong-pdk-janitor").factory());
  }

  /** Returns a builder for a server. */
  public static Builder builder() {
    return new Builder();
  }

  private PluginServer begin() {
    Thread.ofVirtual().name("kong-pdk-accept").start(this::acceptLoop);
    long every = Math.max(1, config.instanceIdleTimeout.toSeconds() / 4);
    janitor.scheduleWithFixedDelay(this::expireIdleInstances, every, every, TimeUnit.SECONDS);
    // Event waits are untimed (cheaper); this ends the ones that outlive the event timeout.
    long check = Math.clamp(config.eventTimeout.toMillis() / 8, 10, 1000);
    janitor.scheduleWithFixedDelay(events::expire, check, check, TimeUnit.MILLISECONDS);
    LOG.log(Level.INFO, "serving {0} on {1}", names(), listener.path());
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
      connections.add(channel);
      Thread.ofVirtual()
          .name("kong-pdk-conn")
          .start(
              () -> {
                try {
                  new RpcConnection(channel, dispatcher, codec, stats).run();
                } finally {
                  connections.remove(channel);
                }
              });
    }
  }

  private void expireIdleInstances() {
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
    return events.size();
  }

  /** Returns the number of live plugin instances. */
  public int instanceCount() {
    return instances.all().size();
  }

  /** Returns the server's counters, as {@code plugin.GetStatus} reports them. */
  public Map<String, Object> counters() {
    return stats.snapshot();
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
    for (Event event : List.copyOf(events.all())) {
      long left = deadline - System.nanoTime();
      try {
        if (left <= 0 || !event.awaitHandler(Duration.ofNanos(left))) {
          event.end("the plugin server is shutting down");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    janitor.shutdownNow();
    for (SocketChannel channel : List.copyOf(connections)) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.log(Level.DEBUG, "closing a connection: " + e.getMessage());
      }
    }
    LOG.log(Level.INFO, "stopped serving {0}", names());
    closed.countDown();
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

    private Builder() {}

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
      return new PluginServer(this, UnixSocketListener.bind(socket)).begin();
    }

    private static Duration positive(Duration value, String name) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return value;
    }
  }
}
