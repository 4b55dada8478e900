package dev.kongpdk.bridge.internal.transport;

import dev.kongpdk.bridge.internal.ServerStats;
import dev.kongpdk.bridge.internal.limits.MemoryBudget;
import dev.kongpdk.bridge.internal.limits.RefusalLog;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Holds newly accepted connections, all on one thread, until their first message has arrived
 * completely, then hands each one, with the bytes read so far, to the server that serves it.
 *
 * <p>Kong writes its request as soon as it has connected, so its new connections pass through at
 * once. A client that connects and sends nothing, or only part of a message, costs a socket and
 * the few bytes it sent, never a thread: thousands of such connections leave the server's threads
 * and memory where they were. At most {@code capacity} connections wait at once; one more makes
 * the one that has waited longest leave (closed, counted as shed), so a flood of them takes turns
 * among itself while Kong's connections, which never wait long, go through. A message that has
 * started must be complete within the read timeout, as on a served connection.
 *
 * <p>A first message that cannot be whole within {@value #MOST_BYTES} bytes (a large plugin
 * config, typically, or a header the server's limits refuse) is handed over as soon as that is
 * known: the server reads the rest under its read deadline, or refuses it at once.
 */
public final class FirstMessageWait implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(FirstMessageWait.class.getName());

  /** The most bytes a waiting connection holds before it is handed over, complete or not. */
  public static final int MOST_BYTES = 8192;

  private static final int FIRST_BUFFER_BYTES = 512;
  /** How often the read deadlines of waiting connections are checked, at most. */
  private static final long CHECK_EVERY_MILLIS = 100;

  /** Tells whether the bytes read so far are ready for the connection's reader. */
  public interface Framing {
    /**
     * Returns whether {@code bytes} (from its position to its limit) hold a whole message, or
     * one that cannot be whole within {@code most} bytes, or bytes the reader is to refuse.
     */
    boolean ready(ByteBuffer bytes, int most);
  }

  /** Serves a connection whose first message has arrived. */
  public interface Handover {
    /**
     * Serves {@code channel} (non-blocking); {@code firstBytes} holds what was read from it so far,
     * from its position to its limit.
     */
    void serve(SocketChannel channel, ByteBuffer firstBytes);
  }

  /** A connection waiting for its first message. */
  private static final class Waiting {
    final SocketChannel channel;
    final long arrivedAt = System.nanoTime();
    /** When its first byte arrived, 0 before. */
    long startedAt;
    ByteBuffer bytes;
    long reserved;

    Waiting(SocketChannel channel) {
      this.channel = channel;
    }
  }

  private final Framing framing;
  private final Handover handover;
  private final int capacity;
  private final long readTimeoutNanos;
  private final MemoryBudget budget;
  private final ServerStats stats;
  private final Selector selector;
  private final Queue<SocketChannel> arrived = new ConcurrentLinkedQueue<>();
  /** In order of arrival; touched by the waiting thread only. */
  private final LinkedHashSet<Waiting> waiting = new LinkedHashSet<>();
  private final RefusalLog shedding = new RefusalLog(LOG, Duration.ofSeconds(10));
  private final RefusalLog readTimeouts = new RefusalLog(LOG, Duration.ofSeconds(10));
  private final RefusalLog cannotServe =
      new RefusalLog(LOG, Level.ERROR, Duration.ofSeconds(10));
  private final Thread thread;
  private volatile boolean closed;
  private long lastCheck = System.nanoTime();
  /** Whether a key was cancelled (or its channel closed) since the last selection. */
  private boolean cancelled;

  /**
   * Starts the waiting thread.
   *
   * @param capacity how many connections may wait at once
   * @param readTimeout how long a started first message may take to arrive completely
   * @param budget the memory all connections' messages share; what a waiting one holds counts
   */
  public FirstMessageWait(Framing framing, Handover handover, int capacity, Duration readTimeout,
      MemoryBudget budget, ServerStats stats) throws IOException {
    this.framing = framing;
    this.handover = handover;
    this.capacity = capacity;
    this.readTimeoutNanos = readTimeout.toNanos();
    this.budget = budget;
    this.stats = stats;
    this.selector = Selector.open();
    this.thread = Thread.ofPlatform().daemon().name("kong-pdk-first-message").start(this::run);
  }

  /** Makes {@code channel}, just accepted, wait for its first message. Any thread. */
  public void add(SocketChannel channel) {
    if (closed) {
      closeQuietly(channel);
      return;
    }
    arrived.add(channel);
    selector.wakeup();
  }

  private void run() {
    try {
      while (!closed) {
        try {
          turn();
        } catch (ClosedSelectorException e) {
          throw e;
        } catch (RuntimeException e) {
          // a bug must not stop new connections from being served: logged, and the next turn
          cannotServe.refused("reading new connections failed inside the server: " + e);
          LOG.log(Level.DEBUG, "reading new connections failed", e);
        }
      }
    } catch (IOException | ClosedSelectorException e) {
      if (!closed) {
        LOG.log(Level.ERROR, "new connections can no longer be read: " + e.getMessage(), e);
      }
    } finally {
      for (Waiting w : waiting) {
        leave(w);
      }
      waiting.clear();
      for (SocketChannel channel; (channel = arrived.poll()) != null; ) {
        closeQuietly(channel);
      }
    }
  }

  /** Waits for input or new connections, then serves what is ready. */
  private void turn() throws IOException {
    if (waiting.isEmpty() && arrived.isEmpty()) {
      selector.select(this::ready);
    } else {
      selector.select(this::ready, CHECK_EVERY_MILLIS);
    }
    take();
    long now = System.nanoTime();
    if (now - lastCheck >= CHECK_EVERY_MILLIS * 1_000_000) {
      lastCheck = now;
      expire(now);
    }
    while (cancelled) {
      // A channel handed over or closed stays registered here until a selection deregisters
      // its key; until then closing it would not free its descriptor.
      cancelled = false;
      selector.selectNow(this::ready);
    }
  }

  /** Registers the connections accepted since the last turn, making room where needed. */
  private void take() {
    for (SocketChannel channel; (channel = arrived.poll()) != null; ) {
      while (waiting.size() >= capacity) {
        Waiting oldest = waiting.iterator().next();
        waiting.remove(oldest);
        stats.connectionShed();
        shedding.refused("shedding a connection: " + capacity + " new connections are waiting"
            + " for their first message, the most that may; closing the one that has waited"
            + " longest (" + (System.nanoTime() - oldest.arrivedAt) / 1_000_000 + " ms)"
            + " (see --max-connections)");
        leave(oldest);
      }
      Waiting w = new Waiting(channel);
      try {
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ, w);
        waiting.add(w);
      } catch (IOException e) {
        LOG.log(Level.DEBUG, "a new connection failed: " + e.getMessage());
        closeQuietly(channel);
      }
    }
  }

  /** Reads what arrived on a waiting connection; hands it over once its first message is in. */
  private void ready(SelectionKey key) {
    Waiting w = (Waiting) key.attachment();
    try {
      while (true) {
        if (w.bytes == null || !w.bytes.hasRemaining()) {
          boolean holdsTheMost = w.bytes != null && w.bytes.capacity() >= MOST_BYTES;
          if (holdsTheMost || !grow(w)) {
            handOver(key, w); // a large first message: its reader takes the rest
            return;
          }
        }
        int n = w.channel.read(w.bytes);
        if (n < 0) {
          if (w.bytes.position() > 0 && framing.ready(w.bytes.duplicate().flip(), MOST_BYTES)) {
            handOver(key, w); // its reader serves the message, then sees the end
          } else {
            waiting.remove(w);
            leave(w); // gone before its first message was complete
          }
          return;
        }
        if (n == 0) {
          break;
        }
        if (w.startedAt == 0) {
          w.startedAt = System.nanoTime();
        }
      }
      if (w.bytes.position() > 0 && framing.ready(w.bytes.duplicate().flip(), MOST_BYTES)) {
        handOver(key, w);
      }
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "a new connection failed: " + e.getMessage());
      waiting.remove(w);
      leave(w);
    }
  }

  /** Doubles a waiting connection's buffer, reserved from the budget; false when it cannot. */
  private boolean grow(Waiting w) {
    int size = w.bytes == null ? FIRST_BUFFER_BYTES : Math.min(2 * w.bytes.capacity(), MOST_BYTES);
    long more = size - (w.bytes == null ? 0 : w.bytes.capacity());
    if (!budget.tryReserve(more)) {
      return false;
    }
    w.reserved += more;
    ByteBuffer bytes = ByteBuffer.allocate(size);
    if (w.bytes != null) {
      bytes.put(w.bytes.flip());
    }
    w.bytes = bytes;
    return true;
  }

  private void handOver(SelectionKey key, Waiting w) {
    key.cancel();
    cancelled = true;
    waiting.remove(w);
    release(w);
    ByteBuffer bytes = w.bytes == null ? ByteBuffer.allocate(0) : w.bytes.flip();
    try {
      handover.serve(w.channel, bytes);
    } catch (RuntimeException | OutOfMemoryError e) {
      // no thread could be started for it, typically: this one is lost, the others go on
      cannotServe.refused("cannot serve a new connection: " + e + "; closing it");
      closeQuietly(w.channel);
    }
  }

  /** Closes the waiting connections whose started first message is past the read deadline. */
  private void expire(long now) {
    for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
      Waiting w = it.next();
      if (w.startedAt != 0 && now - w.startedAt - readTimeoutNanos > 0) {
        it.remove();
        stats.readTimedOut(); // counted before the peer can see the connection closed
        readTimeouts.refused("closing a new connection whose first message did not arrive in"
            + " time: it started " + readTimeoutNanos / 1_000_000 + " ms ago and has not arrived"
            + " completely (" + w.bytes.position() + " bytes so far) (see --read-timeout)");
        leave(w);
      }
    }
  }

  private void leave(Waiting w) {
    release(w);
    closeQuietly(w.channel);
    cancelled = true; // its key goes with the next selection, and its descriptor then
  }

  private void release(Waiting w) {
    budget.release(w.reserved);
    w.reserved = 0;
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing a new connection: " + e.getMessage());
    }
  }

  /** Stops waiting: the waiting connections are closed. */
  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      selector.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing the selector of new connections: " + e.getMessage());
    }
  }
}
