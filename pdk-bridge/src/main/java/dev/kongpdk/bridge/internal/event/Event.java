package dev.kongpdk.bridge.internal.event;

import dev.kongpdk.Bridge;
import dev.kongpdk.PdkException;
import dev.kongpdk.bridge.EventEndedException;
import dev.kongpdk.bridge.PluginInstance;
import dev.kongpdk.bridge.internal.rpc.MsgpackCodec;
import dev.kongpdk.bridge.internal.rpc.RpcConnection;
import dev.kongpdk.plugin.Phase;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One run of one plugin phase, as Kong's {@code plugin.HandleEvent} starts it: the handler runs
 * plugin code until its next PDK call, sends the call as the answer to Kong's latest request of
 * this event, and waits for Kong's {@code plugin.Step} with the result.
 *
 * <p>The event owns the connection Kong's latest request of it came on: while the handler runs,
 * Kong waits there for the answer; while the handler waits, its thread reads that connection
 * itself, because Kong sends the next Step on the connection it got the call from unless
 * something else took that connection meanwhile (see {@link Exchange}). A Step read by another
 * thread on another connection is {@linkplain #deliver delivered} with that connection, which the
 * event then owns instead.
 *
 * <p>An event nobody answers, or whose handler neither calls nor finishes, ends itself when the
 * server's janitor calls {@link #expire(long)}, so no state outlives Kong's interest in it. The
 * handler's limit is shorter than Kong's socket read timeout, so Kong hears the plugin's failure
 * policy before it would give up and let the request through; and a connection Kong closes while
 * the handler runs (Kong gave up anyway) ends the event at the next check and is closed at once.
 */
public final class Event implements Bridge {

  /** How long a handler runs before the janitor looks whether Kong still waits for it. */
  private static final long PROBE_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  /** Lua functions after which Kong never answers: the event is over once they are sent. */
  private static final Set<String> TERMINAL = Set.of("kong.response.exit", "kong.response.error");

  /** What an event needs from the connections it talks to Kong on. */
  public interface Exchange {

    /** Sends Kong what the event does next, as the answer to request {@code msgid} on {@code conn}. */
    void reply(Event event, RpcConnection conn, long msgid, Outbound outbound) throws IOException;

    /**
     * Reads one request on {@code conn} for a waiting {@code event} and handles it: returns the
     * answer when it is the event's Step; otherwise serves it (calling {@link #lose} when the
     * connection goes to whoever the request is for) and returns null. Returns null too when
     * woken before anything arrived.
     */
    Answer readFor(Event event, RpcConnection conn);

    /** Kong answered the event's PDK call {@code method}, {@code nanos} after it was sent. */
    default void answered(Event event, String method, long nanos) {}

    /** Lets another thread read {@code conn} from now on. */
    void handOver(RpcConnection conn);

    /** Closes a connection that failed. */
    void discard(RpcConnection conn);
  }

  /** Kong's answer to a PDK call: a value, or (Kong 2.8's {@code plugin.StepError}) an error. */
  public record Answer(Object value, String error) {}

  /** What {@link #expire(long)} did. */
  public enum Expiry {
    /** Nothing: the event goes on (or had ended). */
    NONE,
    /** The handler ran past its limit; Kong was told the failure policy. */
    HANDLER_TIMED_OUT,
    /** Kong did not answer a PDK call within the event timeout. */
    KONG_SILENT,
    /** Kong closed the connection it was waiting on while the handler ran. */
    CONNECTION_LOST
  }

  private enum State {
    /** Plugin code runs; Kong waits on {@link #conn} for the answer to request {@link #msgid}. */
    RUNNING,
    /** A PDK call was sent; {@link #waiter} waits for Kong's Step, reading {@link #conn} if set. */
    WAITING,
    ENDED
  }

  private final long id;
  private final PluginInstance instance;
  private final Phase phase;
  private final String pluginName;
  private final Duration handlerTimeout;
  private final long handlerTimeoutNanos;
  private final Duration kongTimeout;
  private final long kongTimeoutNanos;
  private final Exchange exchange;
  private final Runnable onEnd;
  private final CountDownLatch ended = new CountDownLatch(1);
  private final long startNanos = System.nanoTime();

  // Guarded by this.
  private State state = State.RUNNING;
  private RpcConnection conn;
  private long msgid;
  private Thread handler;
  private Thread waiter;
  private long deadline;
  private String waitsFor;
  private String endReason;
  /** Whether the event ended some other way than its handler returning or ending the request. */
  private boolean cutShort;
  private Answer delivered;
  private RpcConnection deliveredOn;
  private long deliveredMsgid;

  /**
   * Creates an event whose first answer is due on {@code conn} to request {@code msgid}.
   *
   * @param handlerTimeout how long the handler may run without calling Kong or returning
   * @param kongTimeout how long Kong may take to answer a PDK call
   * @param onEnd runs once when the event ends, however it ends (to forget it)
   */
  public Event(long id, PluginInstance instance, Phase phase, Duration handlerTimeout,
      Duration kongTimeout, RpcConnection conn, long msgid, Exchange exchange, Runnable onEnd) {
    this.id = id;
    this.instance = instance;
    this.phase = phase;
    this.pluginName = instance.descriptor().name();
    this.handlerTimeout = handlerTimeout;
    this.handlerTimeoutNanos = handlerTimeout.toNanos();
    this.kongTimeout = kongTimeout;
    this.kongTimeoutNanos = kongTimeout.toNanos();
    this.conn = conn;
    this.msgid = msgid;
    this.exchange = exchange;
    this.onEnd = onEnd;
    this.deadline = startNanos + handlerTimeoutNanos;
  }

  public long id() {
    return id;
  }

  /** Returns the nanoseconds since the event started. */
  public long ageNanos() {
    return System.nanoTime() - startNanos;
  }

  public PluginInstance instance() {
    return instance;
  }

  public Phase phase() {
    return phase;
  }

  /** Records the calling thread as the one running the handler (it may be interrupted on timeout). */
  public synchronized void runsOn(Thread thread) {
    this.handler = thread;
  }

  /**
   * Returns whether the event ended before its handler returned or ended the request: it timed
   * out, Kong went away, or the server stopped it. A failure of the handler after that is a
   * consequence (its PDK calls fail, or it was interrupted), not a fault of its own.
   */
  public synchronized boolean wasCutShort() {
    return cutShort;
  }

  // ---- handler side -------------------------------------------------------------------------

  @Override
  public Object call(String method, Object... args) {
    List<Object> argList = Arrays.asList(args.clone());
    try {
      MsgpackCodec.checkWritable(argList);
    } catch (IllegalArgumentException e) {
      throw new PdkException(method, e.getMessage(), e);
    }
    boolean terminal = TERMINAL.contains(method);
    long sent = System.nanoTime();
    synchronized (this) {
      if (state == State.ENDED) {
        throw ended(method, endReason);
      }
      if (state == State.WAITING) {
        throw new PdkException(method, "a PDK call of this event is already waiting for Kong; PDK"
            + " calls of one event must not be made concurrently");
      }
      if (terminal) {
        // Kong sends nothing more for this event: the connection is free again and the
        // handler's thread goes on reading it when the handler returns. The event is forgotten
        // before Kong hears of its end.
        endLocked(method + " ended the request");
      }
      try {
        exchange.reply(this, conn, msgid, new Outbound.Call(method, argList, terminal));
      } catch (IOException e) {
        exchange.discard(conn);
        conn = null;
        cutShort("the connection to Kong failed: " + e.getMessage());
        throw ended(method, endReason);
      }
      if (terminal) {
        return null;
      }
      state = State.WAITING;
      waiter = Thread.currentThread();
      waitsFor = method;
      deadline = System.nanoTime() + kongTimeoutNanos;
    }
    Answer answer = awaitAnswer(method);
    exchange.answered(this, method, System.nanoTime() - sent);
    if (answer.error() != null) {
      throw new PdkException(method, answer.error());
    }
    return answer.value();
  }

  private Answer awaitAnswer(String method) {
    while (true) {
      RpcConnection own;
      RpcConnection previous = null;
      Answer answer = null;
      synchronized (this) {
        if (delivered != null && state == State.WAITING) {
          answer = delivered;
          previous = conn;
          conn = deliveredOn;
          msgid = deliveredMsgid;
          delivered = null;
          deliveredOn = null;
          running();
        } else if (state == State.ENDED) {
          if (delivered != null) {
            // Kong's answer came after the event ended: Kong still waits for a reply to it.
            refuse(deliveredOn, deliveredMsgid);
            delivered = null;
            deliveredOn = null;
          }
          if (conn != null && Thread.currentThread() != handler) {
            previous = conn; // a thread of the plugin's own was waiting: it reads nothing more
            conn = null;
          }
        } else if (Thread.currentThread().isInterrupted()) {
          cutShort("the event was stopped while waiting for Kong");
        }
        own = conn;
      }
      if (previous != null) {
        exchange.handOver(previous);
      }
      if (answer != null) {
        return answer;
      }
      synchronized (this) {
        if (state == State.ENDED) {
          throw ended(method, endReason);
        }
      }
      if (own == null) {
        LockSupport.park(this);
      } else {
        Answer mine = exchange.readFor(this, own);
        if (mine != null) {
          return mine;
        }
      }
    }
  }

  private void refuse(RpcConnection on, long requestMsgid) {
    try {
      exchange.reply(this, on, requestMsgid, new Outbound.Failed(endReason));
      exchange.handOver(on);
    } catch (IOException e) {
      exchange.discard(on);
    }
  }

  private void running() {
    state = State.RUNNING;
    waiter = null;
    deadline = System.nanoTime() + handlerTimeoutNanos;
  }

  /**
   * Called by the handler's thread when the handler has returned: tells Kong the event is done
   * (unless it already ended) and returns the connection the thread should go on reading, or null.
   */
  public RpcConnection finish() {
    RpcConnection next;
    synchronized (this) {
      if (state == State.RUNNING) {
        endLocked("the event is over"); // forgotten before Kong hears of its end
        try {
          exchange.reply(this, conn, msgid, new Outbound.Done());
        } catch (IOException e) {
          exchange.discard(conn);
          conn = null;
        }
      } else if (state == State.WAITING) {
        // A thread the plugin started is still in a PDK call: it gives the connection back.
        cutShort("the handler returned while a PDK call of its event was waiting");
        return null;
      }
      next = conn;
      conn = null;
    }
    return next;
  }

  private PdkException ended(String method, String reason) {
    return new PdkException(
        method, "the event has ended (" + reason + ")", new EventEndedException(reason));
  }

  // ---- connection side ----------------------------------------------------------------------

  /**
   * Hands Kong's answer, read on {@code from} as request {@code requestMsgid}, to the waiting
   * handler; the event owns {@code from} from now on.
   *
   * @return false when no PDK call was waiting for an answer (the caller keeps the connection)
   */
  public synchronized boolean deliver(Answer answer, RpcConnection from, long requestMsgid) {
    if (state != State.WAITING || delivered != null) {
      return false;
    }
    delivered = answer;
    deliveredOn = from;
    deliveredMsgid = requestMsgid;
    wakeWaiter();
    return true;
  }

  /**
   * Takes Kong's answer read by the waiting thread itself on the connection the event owns.
   *
   * @return false when no PDK call was waiting for an answer
   */
  public synchronized boolean accept(RpcConnection from, long requestMsgid) {
    if (state != State.WAITING || delivered != null || conn != from) {
      return false;
    }
    msgid = requestMsgid;
    running();
    return true;
  }

  /** Called by the waiting thread when {@code lost}, which it was reading, went to someone else. */
  public synchronized void lose(RpcConnection lost) {
    if (conn == lost) {
      conn = null;
    }
  }

  private void wakeWaiter() {
    if (conn != null) {
      conn.wakeup();
    } else if (waiter != null) {
      LockSupport.unpark(waiter);
    }
  }

  /**
   * Ends an event that has waited longer than its limit: one whose handler neither called Kong
   * nor finished gets Kong told (500 or an RPC error, by the plugin's failure policy) and its
   * thread interrupted; one whose call Kong never answered fails that call. A running handler
   * whose connection Kong has closed meanwhile (Kong gave up on the event) is ended the same way,
   * without waiting for the limit. {@code now} is {@link System#nanoTime()}.
   *
   * @return what was done, so that the caller can count it
   */
  public Expiry expire(long now) {
    RpcConnection answered = null;
    RpcConnection lost = null;
    Thread stuck = null;
    Expiry expiry = Expiry.NONE;
    synchronized (this) {
      if (state == State.ENDED) {
        return Expiry.NONE;
      }
      if (state == State.RUNNING && conn != null && now - deadline < 0
          && now - (deadline - handlerTimeoutNanos) > PROBE_AFTER_NANOS) {
        // Kong sends nothing on this connection while it waits for the handler's answer: any
        // sign of input is its end (or a peer that does not speak the protocol).
        if (conn.inputPending()) {
          lost = conn;
          conn = null;
          cutShort("Kong closed the connection while plugin '" + pluginName + "' ran its "
              + phase.luaName() + " phase (event " + id + ")");
          stuck = handler;
          expiry = Expiry.CONNECTION_LOST;
        }
      } else if (now - deadline < 0) {
        return Expiry.NONE;
      } else if (state == State.RUNNING) {
        answered = failRunning("plugin '" + pluginName + "' did not finish or call Kong within "
            + handlerTimeout.toMillis() + " ms in the " + phase.luaName() + " phase (event " + id
            + ")");
        stuck = handler;
        expiry = Expiry.HANDLER_TIMED_OUT;
      } else if (delivered == null) {
        cutShort("Kong did not answer " + waitsFor + " within " + kongTimeout.toMillis() + " ms");
        expiry = Expiry.KONG_SILENT;
      }
    }
    if (lost != null) {
      exchange.discard(lost);
    }
    if (answered != null) {
      exchange.handOver(answered);
    }
    if (stuck != null) {
      stuck.interrupt();
    }
    return expiry;
  }

  /**
   * Ends the event: a waiting PDK call and later ones fail at once; if Kong waits for the
   * handler, it is told {@code reason} as a failure.
   */
  public void end(String reason) {
    RpcConnection answered = null;
    synchronized (this) {
      if (state == State.RUNNING) {
        answered = failRunning(reason);
      } else {
        cutShort(reason);
      }
    }
    if (answered != null) {
      exchange.handOver(answered);
    }
  }

  /** Tells Kong, waiting for the running handler, that the event failed; returns the freed connection. */
  private RpcConnection failRunning(String reason) {
    RpcConnection answered = conn;
    conn = null;
    cutShort(reason);
    if (answered != null) {
      try {
        exchange.reply(this, answered, msgid, new Outbound.Failed(reason));
      } catch (IOException e) {
        exchange.discard(answered);
        answered = null;
      }
    }
    return answered;
  }

  private void cutShort(String reason) {
    if (state != State.ENDED) {
      cutShort = true;
      endLocked(reason);
    }
  }

  private void endLocked(String reason) {
    if (state == State.ENDED) {
      return;
    }
    State was = state;
    state = State.ENDED;
    endReason = reason;
    if (was == State.WAITING) {
      wakeWaiter();
    }
    onEnd.run();
    ended.countDown();
  }

  /** Waits until the event has ended, at most {@code wait}; returns whether it has. */
  public boolean awaitEnd(Duration wait) throws InterruptedException {
    return ended.await(wait.toNanos(), TimeUnit.NANOSECONDS);
  }
}
