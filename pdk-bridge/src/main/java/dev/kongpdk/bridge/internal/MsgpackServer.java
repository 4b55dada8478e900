package dev.kongpdk.bridge.internal;

import dev.kongpdk.Kong;
import dev.kongpdk.bridge.internal.event.Event;
import dev.kongpdk.bridge.internal.event.Outbound;
import dev.kongpdk.bridge.internal.event.RequestHeaderCache;
import dev.kongpdk.bridge.internal.rpc.MalformedMessageException;
import dev.kongpdk.bridge.internal.rpc.MsgpackCodec;
import dev.kongpdk.bridge.internal.rpc.RpcConnection;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePackException;

/**
 * Serves Kong's MessagePack-RPC connections on platform threads, running each event's handler on
 * the thread that read its {@code plugin.HandleEvent}.
 *
 * <p>Kong's {@code mp_rpc.lua} takes a connection from its pool for every call and puts it back
 * after the answer; nothing else runs in the nginx worker between putting it back and taking one
 * for the event's next Step, unless the PDK function yields. So the Steps of an event nearly always
 * come back on the connection its call went out on. The handler's thread therefore sends the call
 * and reads that connection itself: a PDK round trip costs one write and one read, with no hand-off
 * between threads. When a connection brings a request for someone else, the reading goes with it:
 * a Step goes to the event it is for (which then reads that connection), a new event gets a thread
 * of its own, and the thread that was waiting goes on waiting on what it still owns.
 *
 * <p>Every connection is read by exactly one thread at a time, and blocking I/O on platform threads
 * costs least per round trip (measured: {@code docs/performance.md}).
 */
public final class MsgpackServer implements Event.Exchange {

  private static final System.Logger LOG = System.getLogger(MsgpackServer.class.getName());

  private final RpcDispatcher dispatcher;
  private final MsgpackCodec codec;
  private final ServerStats stats;
  private final ExecutorService threads;
  private final Set<RpcConnection> open = ConcurrentHashMap.newKeySet();

  public MsgpackServer(RpcDispatcher dispatcher, MsgpackCodec codec, ServerStats stats) {
    this.dispatcher = dispatcher;
    this.codec = codec;
    this.stats = stats;
    // Threads are made as connections and overlapping events need them and kept a minute when
    // idle; each reads one connection or runs one event at a time.
    this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
        new SynchronousQueue<>(), Thread.ofPlatform().daemon().name("kong-pdk-rpc-", 1).factory());
  }

  /** Starts serving a connection Kong opened. */
  public void serve(SocketChannel channel) {
    RpcConnection conn;
    try {
      conn = new RpcConnection(channel, codec);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot serve a connection: " + e.getMessage());
      closeQuietly(channel);
      return;
    }
    open.add(conn);
    handOver(conn);
  }

  /** Returns the connections being served. */
  public int connectionCount() {
    return open.size();
  }

  // ---- the threads' loops -------------------------------------------------------------------

  /** Reads {@code conn} and serves what arrives, until the reading goes elsewhere or it ends. */
  private void readLoop(RpcConnection conn) {
    while (conn != null) {
      RpcConnection.Request request;
      try {
        if (!conn.awaitRequest()) {
          continue; // woken for nobody: a delivery raced with the connection changing hands
        }
        request = conn.read();
      } catch (IOException | MessagePackException e) {
        failed(conn, e);
        return;
      }
      if (request == null) {
        discard(conn);
        return;
      }
      Handled handled;
      try {
        handled = handle(conn, request, null);
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "closing a connection after an internal error", e);
        discard(conn);
        return;
      }
      switch (handled) {
        case Handled.Kept kept -> { }
        case Handled.Passed passed -> conn = null;
        case Handled.Started started -> conn = runEvent(started.event());
      }
    }
  }

  /** Runs an event's handler on this thread; returns the connection the thread reads next, or null. */
  private RpcConnection runEvent(Event event) {
    event.runsOn(Thread.currentThread());
    try {
      Kong kong = Kong.over(new RequestHeaderCache(event));
      Throwable failure = event.instance().run(event.phase(), kong);
      if (failure != null) {
        stats.eventsFailed.increment();
        event.instance().reportFailure(event.phase(), kong, failure);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "event " + event.id() + " failed inside the server", e);
    }
    RpcConnection next = event.finish();
    Thread.interrupted(); // a late interrupt meant for this event must not reach the next one
    return next;
  }

  /** What became of the connection a request was read on. */
  private sealed interface Handled {
    /** The request was answered; the reader keeps reading the connection. */
    record Kept() implements Handled {}

    /** The connection went with the request to a waiting event. */
    record Passed() implements Handled {}

    /** The request started {@code event}, which owns the connection now. */
    record Started(Event event) implements Handled {}
  }

  private static final Handled KEPT = new Handled.Kept();
  private static final Handled PASSED = new Handled.Passed();

  /**
   * Serves one request read on {@code conn} by a thread that is free, or that is waiting for a
   * Step of {@code waiting} (not this request's business).
   */
  private Handled handle(RpcConnection conn, RpcConnection.Request request, Event waiting) {
    RpcDispatcher.Action action;
    try {
      action = dispatcher.route(request.method(), request.param());
    } catch (RpcError e) {
      stats.rpcError();
      return answer(conn, request.msgid(), e.getMessage(), null);
    }
    return switch (action) {
      case RpcDispatcher.Action.Reply reply -> answer(conn, request.msgid(), null, reply.result());
      case RpcDispatcher.Action.StartEvent start -> {
        Event event = dispatcher.newEvent(start, conn, request.msgid(), this);
        if (waiting != null) {
          run(() -> readLoop(runEvent(event)));
        }
        yield new Handled.Started(event);
      }
      case RpcDispatcher.Action.Deliver deliver -> {
        if (deliver.event().deliver(deliver.answer(), conn, request.msgid())) {
          yield PASSED;
        }
        stats.rpcError();
        yield answer(conn, request.msgid(),
            "event " + deliver.event().id() + " is not waiting for a PDK result", null);
      }
    };
  }

  private Handled answer(RpcConnection conn, long msgid, String error, Object result) {
    try {
      conn.reply(msgid, error, result);
      return KEPT;
    } catch (IOException | MessagePackException e) {
      failed(conn, e);
      return PASSED;
    }
  }

  // ---- Event.Exchange -----------------------------------------------------------------------

  @Override
  public void reply(Event event, RpcConnection conn, long msgid, Outbound outbound)
      throws IOException {
    dispatcher.reply(event, conn, msgid, outbound);
  }

  @Override
  public Event.Answer readFor(Event event, RpcConnection conn) {
    RpcConnection.Request request;
    try {
      if (!conn.awaitRequest()) {
        return null;
      }
      request = conn.read();
    } catch (IOException | MessagePackException e) {
      failed(conn, e);
      event.lose(conn);
      return null;
    }
    if (request == null) {
      discard(conn);
      event.lose(conn);
      return null;
    }
    if (request.method().startsWith("plugin.Step")) {
      try {
        if (dispatcher.route(request.method(), request.param())
                instanceof RpcDispatcher.Action.Deliver deliver
            && deliver.event() == event) {
          if (event.accept(conn, request.msgid())) {
            return deliver.answer();
          }
          stats.rpcError();
          answer(conn, request.msgid(), "event " + event.id() + " is not waiting for a PDK result",
              null);
          return null;
        }
      } catch (RpcError e) {
        // not this event's: handled below like any other request
      }
    }
    Handled handled = handle(conn, request, event);
    if (!(handled instanceof Handled.Kept)) {
      event.lose(conn);
    }
    return null;
  }

  @Override
  public void handOver(RpcConnection conn) {
    run(() -> readLoop(conn));
  }

  @Override
  public void discard(RpcConnection conn) {
    open.remove(conn);
    try {
      conn.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing a connection: " + e.getMessage());
    }
  }

  private void run(Runnable task) {
    try {
      threads.execute(task);
    } catch (RejectedExecutionException e) {
      LOG.log(Level.DEBUG, "not serving a connection: the server is stopping");
    }
  }

  /** Closes a connection whose bytes cannot be trusted any more, saying why. */
  private void failed(RpcConnection conn, Exception e) {
    if (e instanceof MessageInsufficientBufferException) {
      LOG.log(Level.DEBUG, "connection closed by Kong inside a message");
    } else if (e instanceof MalformedMessageException || e instanceof MessagePackException) {
      stats.malformedMessage();
      LOG.log(Level.WARNING, "closing a connection after a malformed message: " + e.getMessage());
    } else {
      LOG.log(Level.DEBUG, "connection failed: " + e.getMessage());
    }
    discard(conn);
  }

  // ---- shutdown -----------------------------------------------------------------------------

  /**
   * Ends input on every connection, so each thread finishes the answer it is writing and then
   * sees the end, and waits for the threads at most {@code grace}; closes what is left.
   */
  public void close(Duration grace) throws InterruptedException {
    for (RpcConnection conn : List.copyOf(open)) {
      try {
        conn.shutdownInput();
      } catch (IOException e) {
        LOG.log(Level.DEBUG, "shutting down a connection: " + e.getMessage());
      }
    }
    threads.shutdown();
    try {
      threads.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS);
    } finally {
      for (RpcConnection conn : List.copyOf(open)) {
        discard(conn);
      }
      threads.shutdownNow();
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing a connection: " + e.getMessage());
    }
  }
}
