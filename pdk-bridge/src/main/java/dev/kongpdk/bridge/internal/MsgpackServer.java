package dev.kongpdk.bridge.internal;

import dev.kongpdk.Kong;
import dev.kongpdk.bridge.internal.event.Event;
import dev.kongpdk.bridge.internal.event.Outbound;
import dev.kongpdk.bridge.internal.event.RequestHeaderCache;
import dev.kongpdk.bridge.PluginInstance;
import dev.kongpdk.bridge.internal.limits.OverLimitException;
import dev.kongpdk.bridge.internal.limits.PeerLimits;
import dev.kongpdk.bridge.internal.limits.RefusalLog;
import dev.kongpdk.bridge.internal.rpc.MalformedMessageException;
import dev.kongpdk.bridge.internal.rpc.MsgpackCodec;
import dev.kongpdk.bridge.internal.rpc.RpcConnection;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

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
  /** Connections admitted by {@link #serve} and not yet in {@link #open}. */
  private final AtomicInteger settingUp = new AtomicInteger();
  private final PeerLimits limits;
  private final Shedding shedding;
  private final RefusalLog overLimit = new RefusalLog(LOG, Duration.ofSeconds(10));
  private final RefusalLog readTimeouts = new RefusalLog(LOG, Duration.ofSeconds(10));
  private final RefusalLog cannotServe = new RefusalLog(LOG, Duration.ofSeconds(10));
  private final RefusalLog malformed = new RefusalLog(LOG, Duration.ofSeconds(10));

  /**
   * A server whose connections decode with {@code codec}; {@code limits} gives the read deadline
   * of a started message and how many connections are served at once.
   */
  public MsgpackServer(
      RpcDispatcher dispatcher, MsgpackCodec codec, ServerStats stats, PeerLimits limits) {
    this.dispatcher = dispatcher;
    this.codec = codec;
    this.stats = stats;
    this.limits = limits;
    // Threads are made as connections and overlapping events need them and kept a minute when
    // idle; each reads one connection or runs one event at a time. There are at most as many as
    // connections (capped) plus events waiting for a Step that arrived elsewhere.
    this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
        new SynchronousQueue<>(), Thread.ofPlatform().daemon().name("kong-pdk-rpc-", 1).factory());
    this.shedding = new Shedding("kong-pdk-rpc-shed", stats);
  }

  /** The number of connections being served. */
  public int connectionCount() {
    return open.size();
  }

  /**
   * Starts serving a connection Kong opened, or, when {@link PeerLimits#maxConnections()} are
   * served already, sheds it: its one request is answered without starting an event (a new event
   * gets the plugin's failure policy) and the connection is closed. Called on the accepting
   * thread, which only decides: the connection's set-up (its selector) happens on the thread that
   * reads it, so that accepting stays fast (when the accept backlog overflows, Kong's connect
   * fails and Kong runs the request on without the plugin).
   */
  public void serve(SocketChannel channel, ByteBuffer firstBytes) {
    if (open.size() + settingUp.get() >= limits.maxConnections()) {
      shedding.shed(channel, "it serves " + limits.maxConnections() + " connections already",
          () -> shed(channel, firstBytes));
      return;
    }
    settingUp.incrementAndGet();
    try {
      threads.execute(() -> {
        RpcConnection conn;
        try {
          conn = connection(channel, limits.readTimeout(), firstBytes);
          if (conn != null) {
            open.add(conn);
          }
        } finally {
          settingUp.decrementAndGet();
        }
        if (conn != null) {
          readLoop(conn);
        }
      });
    } catch (RejectedExecutionException e) {
      settingUp.decrementAndGet();
      LOG.log(Level.DEBUG, "not serving a connection: the server is stopping");
      closeQuietly(channel);
    }
  }

  private RpcConnection connection(
      SocketChannel channel, Duration readTimeout, ByteBuffer firstBytes) {
    try {
      return new RpcConnection(channel, codec, readTimeout, firstBytes);
    } catch (IOException e) {
      // out of file descriptors, typically (the connection's selector needs two)
      stats.acceptFailed();
      cannotServe.refused("cannot serve a connection: " + e.getMessage() + "; closing it");
      closeQuietly(channel);
      return null;
    }
  }

  /** Reads one request from a shed connection within a second, answers it and closes it. */
  private void shed(SocketChannel channel, ByteBuffer firstBytes) {
    RpcConnection conn = connection(channel, Shedding.FIRST_REQUEST_WAIT, firstBytes);
    if (conn == null) {
      return;
    }
    RpcConnection.Request request;
    try {
      request = conn.awaitRequest(Shedding.FIRST_REQUEST_WAIT) ? conn.read() : null;
    } catch (IOException | MessagePackException e) {
      failed(conn, e);
      return;
    }
    if (request == null) {
      discard(conn);
      return;
    }
    RpcDispatcher.Action action;
    try {
      action = dispatcher.route(request.method(), request.param());
    } catch (RpcError e) {
      stats.rpcError();
      answer(conn, request.msgid(), e.getMessage(), null);
      conn.released();
      discard(conn);
      return;
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "closing a connection after an internal error", e);
      discard(conn);
      return;
    }
    switch (action) {
      case RpcDispatcher.Action.StartEvent start -> {
        // no thread and no event for it: the plugin's failure policy answers at once
        dispatcher.handlerReturned(); // the slot route() took for it: no handler will run
        try {
          Object step = dispatcher.shed(start.instance(), start.phase(),
              limits.maxConnections() + " connections").result();
          answer(conn, request.msgid(), null, step);
        } catch (RpcError e) {
          stats.rpcError();
          answer(conn, request.msgid(), e.getMessage(), null);
        }
        conn.released();
        discard(conn);
      }
      case RpcDispatcher.Action.Deliver deliver -> {
        // a Step of a live event: that event needs it, whatever the load
        open.add(conn);
        if (handle(conn, request, action, null) instanceof Handled.Kept) {
          handOver(conn); // answered an error instead: served from now on like any connection
        }
      }
      case RpcDispatcher.Action.Reply reply -> {
        handle(conn, request, action, null);
        discard(conn);
      }
    }
  }

  /**
   * Returns whether a new connection's first bytes (position to limit) are ready for its reader:
   * they hold a whole MessagePack message, or the start of one that cannot be whole within {@code
   * most} bytes (a header declaring more, which the reader refuses or reads on under its
   * deadline), or bytes that are not MessagePack at all (which the reader refuses). The test by
   * which a new connection waits for its first request (see {@code FirstMessageWait}).
   */
  public static boolean firstMessageReady(ByteBuffer bytes, int most) {
    try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
      for (long values = 1; values > 0; values--) {
        ValueType type = unpacker.getNextFormat().getValueType();
        long declared = switch (type) {
          case ARRAY -> unpacker.unpackArrayHeader();
          case MAP -> 2L * unpacker.unpackMapHeader();
          case STRING -> unpacker.unpackRawStringHeader();
          case BINARY -> unpacker.unpackBinaryHeader();
          case EXTENSION -> unpacker.unpackExtensionTypeHeader().getLength();
          default -> {
            unpacker.skipValue();
            yield 0;
          }
        };
        if (declared > most - unpacker.getTotalReadBytes()) {
          return true; // every element or byte declared takes a byte at least
        }
        if (type == ValueType.ARRAY || type == ValueType.MAP) {
          values += declared;
        } else if (declared > 0) {
          unpacker.readPayloadAsReference((int) declared);
        }
      }
      return true;
    } catch (MessageInsufficientBufferException e) {
      return false;
    } catch (IOException | MessagePackException e) {
      return true;
    }
  }

  // ---- the threads' loops -------------------------------------------------------------------

  /** Reads {@code conn} and serves what arrives, until the reading goes elsewhere or it ends. */
  private void readLoop(RpcConnection conn) {
    while (conn != null) {
      RpcConnection.Request request = next(conn);
      if (request == null) {
        return;
      }
      if (request == WOKEN) {
        continue; // woken for nobody: a delivery raced with the connection changing hands
      }
      switch (handle(conn, request, null)) {
        case Handled.Kept kept -> { }
        case Handled.Passed passed -> conn = null;
        case Handled.Started started -> conn = runEvent(started.event());
        case Handled.Answered answered -> throw new IllegalStateException("no event was waiting");
      }
    }
  }

  /** What {@link #next} returns when woken before a request arrived. */
  private static final RpcConnection.Request WOKEN = new RpcConnection.Request(-1, "", null);

  /**
   * Waits for the next request on {@code conn} and reads it; returns {@link #WOKEN} when woken
   * first, and null when the connection has ended or failed (it is closed then).
   */
  private RpcConnection.Request next(RpcConnection conn) {
    try {
      if (!conn.awaitRequest()) {
        return WOKEN;
      }
      RpcConnection.Request request = conn.read();
      if (request == null) {
        discard(conn);
      }
      return request;
    } catch (IOException | MessagePackException e) {
      failed(conn, e);
      return null;
    }
  }

  /** Runs an event's handler on this thread; returns the connection the thread reads next, or null. */
  private RpcConnection runEvent(Event event) {
    event.runsOn(Thread.currentThread());
    RpcConnection next;
    try {
      try {
        Kong kong = event.instance().pdk(event.phase(), new RequestHeaderCache(event));
        Throwable failure = event.instance().run(event.phase(), kong);
        if (failure != null && event.wasCutShort()) {
          // The event timed out or Kong went away first (counted and logged once, then): what
          // the handler threw is the consequence, its PDK call failing or its wait interrupted.
          LOG.log(Level.DEBUG, "event {0} ended before its handler, which then threw {1}",
              event.id(), failure.toString());
        } else if (failure != null) {
          stats.eventFailed(event.instance().descriptor().name(), event.phase());
          event.instance().reportFailure(event.phase(), kong, failure);
        }
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "event " + event.id() + " failed inside the server", e);
      }
      next = event.finish();
    } finally {
      dispatcher.handlerReturned();
    }
    Thread.interrupted(); // a late interrupt meant for this event must not reach the next one
    return next;
  }

  /** What became of the connection a request was read on. */
  private sealed interface Handled {
    /** The request was answered; the reader keeps reading the connection. */
    record Kept() implements Handled {}

    /** The reader no longer reads the connection: it went to a waiting event, or it failed. */
    record Passed() implements Handled {}

    /** The request started {@code event}, which owns the connection now. */
    record Started(Event event) implements Handled {}

    /** The request was the waiting event's own Step, carrying {@code answer}. */
    record Answered(Event.Answer answer) implements Handled {}
  }

  private static final Handled KEPT = new Handled.Kept();
  private static final Handled PASSED = new Handled.Passed();

  /**
   * Serves one request read on {@code conn} by a thread that is free ({@code waiting} is null) or
   * that waits for a Step of {@code waiting}: that Step comes back as {@link Handled.Answered};
   * a new event started while the thread waits gets a thread of its own.
   */
  private Handled handle(RpcConnection conn, RpcConnection.Request request, Event waiting) {
    try {
      return act(conn, request, dispatcher.route(request.method(), request.param()), waiting);
    } catch (RpcError e) {
      stats.rpcError();
      return answer(conn, request.msgid(), e.getMessage(), null);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "closing a connection after an internal error", e);
      discard(conn);
      return PASSED;
    } finally {
      conn.released(); // the request has been taken apart: its budget share is free again
    }
  }

  /** {@link #handle(RpcConnection, RpcConnection.Request, Event)} with the action decided. */
  private Handled handle(RpcConnection conn, RpcConnection.Request request,
      RpcDispatcher.Action action, Event waiting) {
    try {
      return act(conn, request, action, waiting);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "closing a connection after an internal error", e);
      discard(conn);
      return PASSED;
    } finally {
      conn.released();
    }
  }

  private Handled act(
      RpcConnection conn, RpcConnection.Request request, RpcDispatcher.Action action, Event waiting) {
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
        Event event = deliver.event();
        if (event == waiting ? event.accept(conn, request.msgid())
            : event.deliver(deliver.answer(), conn, request.msgid())) {
          yield event == waiting ? new Handled.Answered(deliver.answer()) : PASSED;
        }
        stats.rpcError();
        yield answer(conn, request.msgid(),
            "event " + event.id() + " is not waiting for a PDK result", null);
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
  public void answered(Event event, String method, long nanos) {
    stats.pdkCall(event.instance().descriptor().name(), event.phase(), method, nanos);
  }

  @Override
  public Event.Answer readFor(Event event, RpcConnection conn) {
    RpcConnection.Request request = next(conn);
    if (request == null) {
      event.lose(conn);
      return null;
    }
    if (request == WOKEN) {
      return null;
    }
    return switch (handle(conn, request, event)) {
      case Handled.Answered answered -> answered.answer();
      case Handled.Kept kept -> null;
      case Handled.Passed passed -> {
        event.lose(conn);
        yield null;
      }
      case Handled.Started started -> {
        event.lose(conn);
        yield null;
      }
    };
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

  private void run(Runnable task, SocketChannel channel) {
    try {
      threads.execute(task);
    } catch (RejectedExecutionException e) {
      LOG.log(Level.DEBUG, "not serving a connection: the server is stopping");
      closeQuietly(channel);
    }
  }

  /** Closes a connection whose bytes cannot be trusted any more, saying why. */
  private void failed(RpcConnection conn, Exception e) {
    if (e instanceof OverLimitException) {
      stats.messageOverLimit();
      overLimit.refused("closing a connection whose message exceeds the server's limits: "
          + e.getMessage() + " (see --max-message-bytes, --max-decoded-bytes, --max-buffered-bytes)");
    } else if (e instanceof RpcConnection.ReadTimeoutException) {
      stats.readTimedOut();
      readTimeouts.refused("closing a connection whose message did not arrive in time: "
          + e.getMessage() + " (see --read-timeout)");
    } else if (e instanceof MessageInsufficientBufferException) {
      LOG.log(Level.DEBUG, "connection closed by Kong inside a message");
    } else if (e instanceof MalformedMessageException || e instanceof MessagePackException) {
      stats.malformedMessage();
      malformed.refused("closing a connection after a malformed message: " + e.getMessage());
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
    shedding.close();
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
