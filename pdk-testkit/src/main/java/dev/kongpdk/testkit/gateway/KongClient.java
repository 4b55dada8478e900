package dev.kongpdk.testkit.gateway;

import dev.kongpdk.testkit.FakeKong;
import dev.kongpdk.testkit.internal.Connection;
import dev.kongpdk.testkit.internal.WireCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kong's side of the MessagePack-RPC protocol ({@code mp_rpc.lua}), over a plugin server's Unix
 * socket: {@code [0, msgid, method, [param]]} requests, {@code [1, msgid, error, result]}
 * responses, the {@code StartInstance}/{@code CloseInstance} calls and the event loop of {@code
 * HandleEvent} and {@code plugin.Step*}.
 *
 * <p>Like Kong it keeps a pool of connections with one outstanding request per connection, numbers
 * its calls from 1, never answers {@code kong.response.exit}/{@code error}, and picks the Step
 * method per PDK function. Every read has a deadline ({@link Options#timeout()}), so no caller
 * waits forever. With {@link Options#rotateConnections()} each call goes out on the next pooled
 * connection, which proves that the server keys events by {@code EventId}, not by connection.
 *
 * <p>Thread-safe: several events may run at once, each on its own connections.
 */
public final class KongClient implements AutoCloseable {

  private final Path socket;
  private final Options options;
  private final AtomicLong msgids = new AtomicLong();
  private final Deque<Connection> idle = new ArrayDeque<>();
  private final List<Connection> rotation = new ArrayList<>();
  private final List<Connection> all = new ArrayList<>();
  private long nextRotation;
  private boolean closed;

  private KongClient(Path socket, Options options) {
    this.socket = socket;
    this.options = options;
  }

  /**
   * Creates a client for the server listening on {@code socket}; connections open on first use.
   *
   * @param socket the server's Unix socket
   * @param options timeouts and pooling
   * @return the client
   */
  public static KongClient connect(Path socket, Options options) {
    return new KongClient(Objects.requireNonNull(socket, "socket"), Objects.requireNonNull(options, "options"));
  }

  /**
   * Pool and timeout settings.
   *
   * @param timeout the longest wait for any one reply (default 5 s)
   * @param poolSize the most connections kept (default 4)
   * @param rotateConnections whether every call uses the next connection in turn (default false:
   *     the first idle one, as Kong's keepalive pool does)
   */
  public record Options(Duration timeout, int poolSize, boolean rotateConnections) {

    /** Checks the settings. */
    public Options {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, got " + timeout);
      }
      if (poolSize < 1) {
        throw new IllegalArgumentException("poolSize must be at least 1, got " + poolSize);
      }
    }

    /** Returns 15 s timeouts (a freshly started server JVM may be slow to answer first), 4 pooled connections, no rotation. */
    public static Options defaults() {
      return new Options(Duration.ofSeconds(15), 4, false);
    }

    /** Returns a copy with another timeout. @param t the timeout @return the copy */
    public Options withTimeout(Duration t) {
      return new Options(t, poolSize, rotateConnections);
    }

    /** Returns a copy that sends each call on the next of {@code connections} connections. @param connections the pool size @return the copy */
    public Options rotatingOver(int connections) {
      return new Options(timeout, connections, true);
    }
  }

  /**
   * The end of one event.
   *
   * @param eventId the id the server gave the event
   * @param steps how many PDK calls were answered
   * @param terminalMethod the terminal call that ended it ({@code kong.response.exit} or {@code
   *     error}), or empty when the handler returned ({@code "ret"})
   */
  public record EventOutcome(long eventId, int steps, Optional<String> terminalMethod) {}

  /**
   * {@code plugin.StartInstance}: creates a plugin instance.
   *
   * @param pluginName the plugin name
   * @param configJson the config as JSON text (Kong sends {@code cjson.encode(conf)})
   * @return the instance id the server chose
   * @throws RpcErrorException when the server refuses, for example on a bad config
   */
  public long startInstance(String pluginName, String configJson) {
    Map<String, Object> param = new LinkedHashMap<>();
    param.put("Name", pluginName);
    param.put("Config", configJson);
    Object result = call("plugin.StartInstance", param);
    if (result instanceof Map<?, ?> map && map.get("Id") instanceof Long id) {
      return id;
    }
    throw new KongClientException("plugin.StartInstance: expected a map with a numeric Id, got " + result);
  }

  /**
   * {@code plugin.CloseInstance}: closes an instance; like Kong, ignores the reply's content.
   *
   * @param instanceId the id
   */
  public void closeInstance(long instanceId) {
    call("plugin.CloseInstance", instanceId);
  }

  /**
   * Runs one event: {@code plugin.HandleEvent}, then for every PDK call the server makes, the
   * answer of {@code answerer} sent with the Step method Kong uses ({@link
   * FakeKong#stepMethod(String)}), until the server answers {@code "ret"} or makes a terminal call.
   *
   * <p>When {@code answerer} throws, the event is abandoned as Kong abandons it after a Lua error:
   * nothing more is sent, and the exception propagates.
   *
   * @param instanceId the instance
   * @param phase the event name, for example {@code access}
   * @param answerer answers the PDK calls
   * @return how the event ended
   * @throws NoPluginInstanceException when the server does not know the instance
   * @throws KongClientException on a timeout, a closed connection or a protocol violation
   */
  public EventOutcome handleEvent(long instanceId, String phase, CallAnswerer answerer) {
    Map<String, Object> start = new LinkedHashMap<>();
    start.put("InstanceId", instanceId);
    start.put("EventName", phase);
    Object reply = call("plugin.HandleEvent", start);
    long eventId = eventId("plugin.HandleEvent", reply);
    int steps = 0;
    while (true) {
      Object data = ((Map<?, ?>) reply).get("Data");
      if ("ret".equals(data)) {
        return new EventOutcome(eventId, steps, Optional.empty());
      }
      if (!(data instanceof Map<?, ?> call) || !(call.get("Method") instanceof String method)) {
        throw new KongClientException("event " + eventId + ": expected Data \"ret\" or {Method, Args}, got " + data);
      }
      Object args = call.get("Args");
      List<Object> argList = args == null ? List.of() : args instanceof List<?> l ? new ArrayList<>(l) : List.of(args);
      Object result = answerer.answer(method, argList);
      steps++;
      if (FakeKong.isTerminal(method)) {
        return new EventOutcome(eventId, steps, Optional.of(method));
      }
      Map<String, Object> step = new LinkedHashMap<>();
      step.put("EventId", eventId);
      String stepMethod = FakeKong.stepMethod(method);
      if (result instanceof StepError error) {
        stepMethod = "plugin.StepError";
        step.put("Data", error.message());
      } else if (result != null) {
        step.put("Data", result);
      }
      reply = call(stepMethod, step);
      if (!(reply instanceof Map<?, ?>)) {
        throw new KongClientException(stepMethod + ": expected a map {EventId, Data}, got " + reply);
      }
    }
  }

  private static long eventId(String method, Object reply) {
    if (reply instanceof Map<?, ?> map && map.get("EventId") instanceof Long id) {
      return id;
    }
    throw new KongClientException(method + ": expected a map with a numeric EventId, got " + reply);
  }

  /**
   * Sends one RPC request and returns its result.
   *
   * @param method the RPC method, for example {@code plugin.HandleEvent}
   * @param param the single parameter
   * @return the result
   * @throws RpcErrorException when the server answers with an error string
   * @throws KongClientException on a timeout or a protocol violation
   */
  public Object call(String method, Object param) {
    long msgid = msgids.incrementAndGet();
    byte[] request = WireCodec.encode(List.of(0L, msgid, method, java.util.Collections.singletonList(param)));
    Connection connection = acquire();
    boolean healthy = false;
    try {
      connection.send(request, options.timeout());
      Object response;
      do {
        response = connection.receive(options.timeout());
      } while (isNotification(response));
      if (connection.pendingBytes() > 0) {
        throw new KongClientException(method + " (msgid " + msgid + "): the server sent "
            + connection.pendingBytes() + " bytes after the response; Kong would misread them as the next reply");
      }
      Object result = result(method, msgid, response);
      healthy = true;
      return result;
    } catch (TimeoutException e) {
      throw new KongClientException(method + " (msgid " + msgid + "): no complete reply within " + options.timeout(), e);
    } catch (IOException e) {
      throw new KongClientException(method + " (msgid " + msgid + "): " + e.getMessage(), e);
    } finally {
      release(connection, healthy);
    }
  }

  private static boolean isNotification(Object response) {
    return response instanceof List<?> list && !list.isEmpty() && Long.valueOf(2).equals(list.get(0));
  }

  private static Object result(String method, long msgid, Object response) {
    if (!(response instanceof List<?> list) || list.size() != 4 || !Long.valueOf(1).equals(list.get(0))) {
      throw new KongClientException(method + ": expected [1, msgid, error, result], got " + response);
    }
    if (!Long.valueOf(msgid).equals(list.get(1))) {
      throw new KongClientException(method + ": response msgid " + list.get(1) + " does not match request msgid " + msgid);
    }
    Object error = list.get(2);
    if (error != null) {
      if (!(error instanceof String text)) {
        throw new KongClientException(method + ": the error must be a string (Kong calls err:lower()), got " + error);
      }
      if (text.toLowerCase(Locale.ROOT).contains("no plugin instance")) {
        throw new NoPluginInstanceException(method, text);
      }
      throw new RpcErrorException(method, text);
    }
    return list.get(3);
  }

  private synchronized Connection acquire() {
    if (closed) {
      throw new KongClientException("the client is closed");
    }
    try {
      if (options.rotateConnections()) {
        int index = (int) (nextRotation++ % options.poolSize());
        while (rotation.size() <= index) {
          Connection c = Connection.open(socket);
          rotation.add(c);
          all.add(c);
        }
        Connection c = rotation.get(index);
        if (!c.isOpen()) {
          c = Connection.open(socket);
          rotation.set(index, c);
          all.add(c);
        }
        return c;
      }
      Connection c = idle.pollFirst();
      if (c == null) {
        c = Connection.open(socket);
        all.add(c);
      }
      return c;
    } catch (IOException e) {
      throw new KongClientException("cannot connect to the plugin server at " + socket + ": " + e.getMessage(), e);
    }
  }

  private synchronized void release(Connection connection, boolean healthy) {
    if (!healthy || closed) {
      connection.close(); // state unknown after a failure: never reuse it, as Kong drops it
      return;
    }
    if (!options.rotateConnections()) {
      if (idle.size() < options.poolSize()) {
        idle.addFirst(connection);
      } else {
        connection.close();
      }
    }
  }

  /** Closes every connection. */
  @Override
  public synchronized void close() {
    closed = true;
    all.forEach(Connection::close);
    all.clear();
    idle.clear();
    rotation.clear();
  }
}
