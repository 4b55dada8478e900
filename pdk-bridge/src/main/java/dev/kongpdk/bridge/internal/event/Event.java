package dev.kongpdk.bridge.internal.event;

import dev.kongpdk.Bridge;
import dev.kongpdk.PdkException;
import dev.kongpdk.bridge.EventEndedException;
import dev.kongpdk.bridge.PluginInstance;
import dev.kongpdk.bridge.internal.rpc.MsgpackCodec;
import dev.kongpdk.plugin.Phase;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One run of one plugin phase, as Kong's {@code plugin.HandleEvent} starts it, and the hand-off
 * between the handler thread (which runs plugin code and blocks on each PDK call) and whichever
 * connection carries Kong's next {@code plugin.Step}.
 *
 * <p>The handler and Kong strictly alternate: the handler posts a call, Kong answers it, the
 * handler posts the next call or finishes. Each side waits at most {@code timeout}; an event
 * nobody answers ends itself, so no state outlives Kong's interest in it.
 *
 * <p>Both sides wait without a timer and {@link #expire(long)}, called periodically, wakes a side
 * that has waited too long: a timed wait on a virtual thread registers and cancels a timer task on
 * every round trip, which measured as the largest single cost of a PDK call.
 */
public final class Event implements Bridge {

  /** Lua functions after which Kong never answers: the event is over once they are sent. */
  private static final Set<String> TERMINAL = Set.of("kong.response.exit", "kong.response.error");

  private final long id;
  private final PluginInstance instance;
  private final Phase phase;
  private final String pluginName;
  private final Duration timeout;
  private final long timeoutNanos;
  private final BlockingQueue<Outbound> toKong = new ArrayBlockingQueue<>(1);
  private final BlockingQueue<Answer> fromKong = new ArrayBlockingQueue<>(1);
  private final Runnable onEnd;
  private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
  private final long startNanos = System.nanoTime();
  private volatile String endReason;
  private volatile Thread handler;
  /** When the handler's wait for Kong's answer times out ({@link #NOT_WAITING} when it is not waiting). */
  private volatile long handlerDeadline = NOT_WAITING;
  /** The PDK call the handler waits for, for the timeout message. */
  private volatile String handlerWaitsFor;
  /** When the connection's wait for the handler times out ({@link #NOT_WAITING} when none waits). */
  private volatile long kongDeadline = NOT_WAITING;

  private static final long NOT_WAITING = Long.MIN_VALUE;
  /** Wakes a handler whose wait for Kong timed out. */
  private static final Answer TIMED_OUT = new Answer(null, null);

  /** Kong's answer to a PDK call: a value, or (Kong 2.8's {@code plugin.StepError}) an error. */
  public record Answer(Object value, String error) {}

  /**
   * Creates an event.
   *
   * @param onEnd runs once when the event ends, however it ends (to forget it)
   */
  public Event(long id, PluginInstance instance, Phase phase, Duration timeout, Runnable onEnd) {
    this.id = id;
    this.onEnd = onEnd;
    this.instance = instance;
    this.phase = phase;
    this.pluginName = instance.descriptor().name();
    this.timeout = timeout;
    this.timeoutNanos = timeout.toNanos();
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

  /** Starts {@code body} on its own virtual thread; when it returns, Kong is told the event is done. */
  public void start(Runnable body) {
    handler =
        Thread.ofVirtual()
            .name("kong-event-" + id + "-" + pluginName)
            .start(
                () -> {
                  try {
                    body.run();
                  } finally {
                    toKong.offer(new Outbound.Done());
                  }
                });
  }

  // ---- handler side -------------------------------------------------------------------------

  @Override
  public Object call(String method, Object... args) {
    if (endReason != null) {
      throw ended(method, endReason);
    }
    List<Object> argList = Arrays.asList(args.clone());
    try {
      MsgpackCodec.checkWritable(argList);
    } catch (IllegalArgumentException e) {
      throw new PdkException(method, e.getMessage(), e);
    }
    boolean terminal = TERMINAL.contains(method);
    if (!toKong.offer(new Outbound.Call(method, argList, terminal))) {
      if (endReason != null || toKong.peek() instanceof Outbound.Failed) {
        throw ended(method, endReason == null ? "timed out" : endReason);
      }
      throw new PdkException(method, "a PDK call of this event is already waiting for Kong; PDK"
          + " calls of one event must not be made concurrently");
    }
    if (terminal) {
      end(method + " ended the request");
      return null;
    }
    Answer answer;
    handlerWaitsFor = method;
    handlerDeadline = System.nanoTime() + timeoutNanos;
    try {
      answer = fromKong.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      end("the event was stopped while waiting for Kong");
      throw ended(method, endReason);
    } finally {
      handlerDeadline = NOT_WAITING;
    }
    if (answer == TIMED_OUT) {
      throw ended(method, endReason);
    }
    if (answer.error() != null) {
      throw new PdkException(method, answer.error());
    }
    return answer.value();
  }

  private PdkException ended(String method, String reason) {
    return new PdkException(
        method, "the event has ended (" + reason + ")", new EventEndedException(reason));
  }

  // ---- connection side ----------------------------------------------------------------------

  /**
   * Hands Kong's answer to the waiting handler.
   *
   * @return false when no PDK call was waiting for an answer
   */
  public boolean deliver(Answer answer) {
    return endReason == null && fromKong.offer(answer);
  }

  /**
   * Waits for what the handler sends next. When the handler neither calls nor finishes in time,
   * the event ends, the handler is interrupted and {@link Outbound.Failed} is returned.
   */
  public Outbound awaitOutbound() {
    kongDeadline = System.nanoTime() + timeoutNanos;
    try {
      return toKong.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail(reason());
    } finally {
      kongDeadline = NOT_WAITING;
    }
  }

  /**
   * Wakes a side that has waited longer than the timeout: a connection waiting for the handler
   * gets {@link Outbound.Failed} (and the handler is interrupted), a handler waiting for Kong gets
   * a {@link PdkException}. Called periodically; {@code now} is {@link System#nanoTime()}.
   */
  public void expire(long now) {
    long kong = kongDeadline;
    if (kong != NOT_WAITING && now - kong >= 0) {
      String reason = reason();
      if (toKong.offer(new Outbound.Failed(reason))) {
        fail(reason);
      }
    }
    long handlerWait = handlerDeadline;
    if (handlerWait != NOT_WAITING && now - handlerWait >= 0) {
      end("Kong did not answer " + handlerWaitsFor + " within " + timeout.toMillis() + " ms");
      fromKong.offer(TIMED_OUT);
    }
  }

  private String reason() {
    return "plugin '" + pluginName + "' did not finish or call Kong within "
        + timeout.toMillis() + " ms (event " + id + ")";
  }

  private Outbound fail(String reason) {
    end(reason);
    Thread thread = handler;
    if (thread != null) {
      thread.interrupt();
    }
    return new Outbound.Failed(reason);
  }

  /** Ends the event: later PDK calls of the handler fail at once. */
  public void end(String reason) {
    synchronized (this) {
      if (endReason != null) {
        return;
      }
      endReason = reason;
    }
    onEnd.run();
    ended.countDown();
  }

  /** Waits until the event has ended, at most {@code wait}; returns whether it has. */
  public boolean awaitEnd(Duration wait) throws InterruptedException {
    return ended.await(wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Returns whether the event has ended. */
  public boolean isEnded() {
    return endReason != null;
  }

}
