package dev.kongpdk.bridge.internal.pb;

import dev.kongpdk.Bridge;
import dev.kongpdk.PdkException;
import dev.kongpdk.bridge.EventEndedException;
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
 * <p>The handler runs on the thread that reads the connection, and does the calls' I/O itself
 * under a lock it shares with whoever ends the event from outside (the janitor on timeout, the
 * server shutting down). Whichever comes first ends the event once: the handler returning,
 * {@code kong.response.exit}, Kong closing the connection, the timeout, or the server shutting
 * down; later PDK calls then fail with {@link EventEndedException} as the cause.
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
    /** The handler or Kong did not move on within the timeout. */
    TIMED_OUT
  }

  private static final String EXIT = "kong.response.exit";

  private final FrameChannel io;
  private final PbMethods methods;
  private final Duration timeout;
  private final ReentrantLock lock = new ReentrantLock();
  private final CountDownLatch ended = new CountDownLatch(1);
  private final long startNanos = System.nanoTime();
  /** The thread that reads the connection and runs the handler: the one that creates the event. */
  private final Thread handler = Thread.currentThread();
  private volatile long lastProgressNanos = startNanos;
  private volatile End end;
  private volatile String endReason;
  private final Consumer<PbEvent> onEnd;

  /**
   * Creates an event.
   *
   * @param onEnd runs once when the event ends, however it ends, before anything more is written
   */
  PbEvent(FrameChannel io, PbMethods methods, Duration timeout, Consumer<PbEvent> onEnd) {
    this.io = io;
    this.methods = methods;
    this.timeout = timeout;
    this.onEnd = onEnd;
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
      lastProgressNanos = System.nanoTime();
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
    } catch (IOException e) {
      endOnce(End.CONNECTION_LOST, "the connection failed during " + method + ": " + e.getMessage());
      throw ended(method);
    } finally {
      lock.unlock();
    }
    return PdkCodec.decodeReply(pb, reply);
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

  /** Returns how long neither the handler nor Kong has moved on, at {@code now} ({@link System#nanoTime()}). */
  long idleNanos(long now) {
    return now - lastProgressNanos;
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
      endOnce(how, reason);
      return Ending.HANDLER_IN_CALL;
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
