package dev.kongpdk.bridge.internal.pb;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.kongpdk.Bridge;
import dev.kongpdk.PdkException;
import dev.kongpdk.bridge.EventEndedException;
import dev.kongpdk.bridge.internal.limits.OverLimitException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One ProtoBuf event, as Kong's {@code cmd_handle_event} starts it, and the PDK as its handler
 * sees it. In ProtoBuf the connection is the event: each PDK call is written as a method-name
 * frame and an argument frame, and Kong's reply frame is read back, on the event's own
 * connection.
 *
 * <p>The handler runs on the thread that reads the connection (the one that creates the event),
 * and does the calls' I/O itself under a lock it shares with whoever ends the event from outside:
 * the server's janitor, when the event is past its limit ({@link #overdue}) or Kong closed the
 * connection under a handler running outside a call ({@link #endIfInputArrived}), and the server
 * shutting down. Whichever comes first ends the event once: the handler returning, {@code
 * kong.response.exit}, Kong closing the connection, the timeout, or the server shutting down;
 * later PDK calls then fail with {@link EventEndedException} as the cause.
 */
final class PbEvent implements Bridge {

  /** How an event ended. */
  enum End {
    /** The handler returned; Kong still waits for the empty frame and the {@code RpcReturn}. */
    COMPLETED,
    /** {@code kong.response.exit} was sent; Kong reads nothing more from this connection. */
    EXITED,
    /** The connection failed or Kong closed it. */
    CONNECTION_LOST,
    /** Kong's reply to a PDK call exceeded the server's limits; the connection was closed. */
    OVER_LIMIT,
    /** The handler or Kong did not move on within the timeout. */
    TIMED_OUT
  }

  private static final String EXIT = "kong.response.exit";

  private final FrameChannel io;
  private final PbMethods methods;
  private final long handlerTimeoutNanos;
  private final long kongTimeoutNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final CountDownLatch ended = new CountDownLatch(1);
  private final long startNanos = System.nanoTime();
  /** The thread that reads the connection and runs the handler: the one that creates the event. */
  private final Thread handler = Thread.currentThread();
  private volatile long lastProgressNanos = startNanos;
  private volatile End end;
  private volatile String endReason;
  private final Consumer<PbEvent> onEnd;
  private final CallTimes callTimes;

  /** Hears how long Kong took to answer each PDK call. */
  interface CallTimes {
    void answered(String method, long nanos);
  }

  /**
   * Creates an event.
   *
   * @param handlerTimeout how long the handler may run without calling Kong or returning
   * @param kongTimeout how long Kong may take to answer a PDK call
   * @param onEnd runs once when the event ends, however it ends, before anything more is written
   * @param callTimes hears each answered PDK call's round trip
   */
  PbEvent(FrameChannel io, PbMethods methods, Duration handlerTimeout, Duration kongTimeout,
      Consumer<PbEvent> onEnd, CallTimes callTimes) {
    this.io = io;
    this.methods = methods;
    this.handlerTimeoutNanos = handlerTimeout.toNanos();
    this.kongTimeoutNanos = kongTimeout.toNanos();
    this.onEnd = onEnd;
    this.callTimes = callTimes;
  }

  // ---- handler side -------------------------------------------------------------------------

  @Override
  public Object call(String method, Object... args) {
    PbMethod pb = methods.find(method).orElseThrow(() -> notOverProtobuf(method));
    byte[] encoded = PdkCodec.encodeArgs(pb, args);
    byte[] reply;
    lock.lock();
    try {
      if (end != null) {
        throw ended(method);
      }
      long sent = System.nanoTime();
      lastProgressNanos = sent;
      io.write(method.getBytes(StandardCharsets.UTF_8), encoded);
      if (method.equals(EXIT)) {
        endOnce(End.EXITED, EXIT + " ended the request");
        return null;
      }
      reply = io.read();
      lastProgressNanos = System.nanoTime();
      if (reply == null) {
        endOnce(End.CONNECTION_LOST, "Kong closed the connection before answering " + method);
        throw ended(method);
      }
      callTimes.answered(method, lastProgressNanos - sent);
    } catch (IOException e) {
      endOnce(End.CONNECTION_LOST, "the connection failed during " + method + ": " + e.getMessage());
      throw ended(method);
    } finally {
      lock.unlock();
    }
    holdDecoded(pb, method, reply);
    return PdkCodec.decodeReply(pb, reply);
  }

  /**
   * Charges Kong's reply at the estimated heap of its parsed objects before it is parsed. A reply
   * that would decode to more than the limits allow ends the event and closes the connection
   * instead of running the heap out; so does one that is not well-formed, which is not parsed.
   */
  private void holdDecoded(PbMethod pb, String method, byte[] reply) {
    try {
      io.holdDecoded(DecodedSize.of(reply, PdkCodec.outputType(pb)));
    } catch (InvalidProtocolBufferException e) {
      throw new PdkException(method, "Kong's reply is not a valid " + pb.outputName()
          + " message: " + e.getMessage(), e);
    } catch (OverLimitException e) {
      endOnce(End.OVER_LIMIT, "Kong's reply to " + method + ": " + e.getMessage());
      try {
        io.close();
      } catch (IOException closing) {
        // the event has ended either way
      }
      throw ended(method);
    }
  }

  static PdkException notOverProtobuf(String method) {
    return new PdkException(method, "is not available over ProtoBuf: Kong's pluginsocket.proto"
        + " declares no rpc for it. Use the MessagePack protocol, which reaches every Lua PDK"
        + " function: @KongPlugin(protocol = Protocol.MSGPACK) (the default)");
  }

  private PdkException ended(String method) {
    String reason = endReason;
    return new PdkException(
        method, "the event has ended (" + reason + ")", new EventEndedException(reason));
  }

  // ---- connection side ----------------------------------------------------------------------

  /**
   * Returns whether the event is past its limit at {@code now} ({@link System#nanoTime()}): the
   * handler has run its phase's limit without calling Kong or returning, or Kong has not answered
   * a PDK call within the event timeout. Each PDK answer restarts the limit.
   */
  boolean overdue(long now) {
    long idle = now - lastProgressNanos;
    return idle >= (inCall() ? kongTimeoutNanos : handlerTimeoutNanos);
  }

  /** Returns how long neither the handler nor Kong has moved on, at {@code now}. */
  long idleNanos(long now) {
    return now - lastProgressNanos;
  }

  /** Returns whether a PDK call is waiting for Kong (or the event's end is being written). */
  boolean inCall() {
    return lock.isLocked();
  }

  /**
   * Ends the event as lost when its handler runs outside a PDK call and its connection has input:
   * Kong sends nothing while it waits for the handler, so that is Kong having closed it (or a
   * peer that does not speak the protocol). A handler inside a call is left alone: its own read
   * sees the close.
   *
   * @return whether this ended the event
   */
  boolean endIfInputArrived(String reason) {
    if (!lock.tryLock()) {
      return false;
    }
    try {
      return end == null && io.inputPending() && endOnce(End.CONNECTION_LOST, reason);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends the event after its handler returned and writes {@code frames}, unless it has already
   * ended; waits for a PDK call another thread of the plugin may still be making.
   */
  void complete(byte[]... frames) throws IOException {
    lock.lock();
    try {
      if (endOnce(End.COMPLETED, "the event is over")) {
        io.write(frames);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Interrupts the thread running the handler (after the event has ended). */
  void interruptHandler() {
    handler.interrupt();
  }

  /** What {@link #endWith} did. */
  enum Ending {
    /** The event ended now and the frames were written. */
    WROTE,
    /** The event had already ended; nothing was written. */
    ALREADY_ENDED,
    /**
     * The handler is inside a call, waiting for Kong: the event ended but nothing could be written
     * (the connection should be closed, which also releases the handler).
     */
    HANDLER_IN_CALL
  }

  /**
   * Ends the event from the connection side and writes {@code frames} to Kong under the lock the
   * handler's calls take, so nothing the handler sends can follow them.
   */
  Ending endWith(End how, String reason, byte[]... frames) throws IOException {
    if (!lock.tryLock()) {
      // the handler's call holds the lock, or its end is being written
      return endOnce(how, reason) ? Ending.HANDLER_IN_CALL : Ending.ALREADY_ENDED;
    }
    try {
      if (!endOnce(how, reason)) {
        return Ending.ALREADY_ENDED;
      }
      io.write(frames);
      return Ending.WROTE;
    } finally {
      lock.unlock();
    }
  }

  /** Ends the event unless it has ended; returns whether this call ended it. */
  private boolean endOnce(End how, String reason) {
    synchronized (this) {
      if (end != null) {
        return false;
      }
      endReason = reason;
      end = how;
    }
    onEnd.accept(this);
    ended.countDown();
    return true;
  }

  /** Returns how the event ended, or {@code null} while it runs. */
  End end() {
    return end;
  }

  String endReason() {
    return endReason;
  }

  /** Waits until the event has ended, at most {@code wait}; returns whether it has. */
  boolean awaitEnd(Duration wait) throws InterruptedException {
    return ended.await(wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  long ageNanos() {
    return System.nanoTime() - startNanos;
  }
}
