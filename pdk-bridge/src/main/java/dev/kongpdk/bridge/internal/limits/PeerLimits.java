package dev.kongpdk.bridge.internal.limits;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;

/**
 * How much a peer on the socket can make the server hold: the numbers behind the server's one
 * memory budget, its connection cap and its read deadline.
 *
 * <p>The defaults are derived from the heap the JVM was given ({@code -Xmx}, or else
 * {@link Runtime#maxMemory()}; the launcher sets 128 MiB) and, for the connection cap, from the process's file descriptor limit
 * (each MessagePack connection holds three descriptors: the socket and its selector's two).
 * With the launcher's heap they are: 16 MiB per message on the wire, 32 MiB per message decoded,
 * 64 MiB for all connections' messages together, 2 MiB per plugin config and 16 MiB for all
 * live instances' configs, 2,048 connections and 10 s to finish a message once it has started.
 *
 * @param maxMessageBytes wire bytes of one message (MessagePack) or frame (ProtoBuf)
 * @param maxDecodedBytes estimated heap of one decoded message (the objects, not the bytes)
 * @param maxBufferedBytes estimated heap of all messages being read or handled, all connections
 * @param maxConfigBytes bytes of one plugin config (the JSON Kong sends)
 * @param maxTotalConfigBytes bytes of the configs of all live instances together
 * @param maxConnections connections served at once; further ones are shed
 * @param readTimeout how long a message that has started may take to arrive completely
 */
public record PeerLimits(
    int maxMessageBytes,
    long maxDecodedBytes,
    long maxBufferedBytes,
    int maxConfigBytes,
    long maxTotalConfigBytes,
    int maxConnections,
    Duration readTimeout) {

  private static final long KIB = 1024;
  private static final long MIB = 1024 * KIB;

  public PeerLimits {
    if (maxMessageBytes < 1024) {
      throw new IllegalArgumentException("maxMessageBytes must be at least 1024");
    }
    if (maxDecodedBytes < maxMessageBytes) {
      throw new IllegalArgumentException("maxDecodedBytes must be at least maxMessageBytes");
    }
    if (maxBufferedBytes < maxDecodedBytes) {
      throw new IllegalArgumentException("maxBufferedBytes must be at least maxDecodedBytes");
    }
    if (maxConfigBytes < 1024) {
      throw new IllegalArgumentException("maxConfigBytes must be at least 1024");
    }
    if (maxTotalConfigBytes < maxConfigBytes) {
      throw new IllegalArgumentException("maxTotalConfigBytes must be at least maxConfigBytes");
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be positive");
    }
    if (readTimeout == null || readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException("readTimeout must be positive");
    }
  }

  /** The defaults for this JVM's heap and this process's file descriptor limit. */
  public static PeerLimits forThisProcess() {
    return derive(maxHeap(), fileDescriptorLimit());
  }

  /**
   * The heap size the JVM was given ({@code -Xmx}); {@link Runtime#maxMemory()} reports a little
   * less with some collectors (one survivor space is left out).
   */
  private static long maxHeap() {
    try {
      return Long.parseLong(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .getVMOption("MaxHeapSize").getValue());
    } catch (RuntimeException e) {
      return Runtime.getRuntime().maxMemory();
    }
  }

  /**
   * The defaults for a heap of {@code heapBytes} and a limit of {@code fdLimit} open files
   * ({@code <= 0} when unknown).
   */
  public static PeerLimits derive(long heapBytes, long fdLimit) {
    int message = (int) Math.clamp(heapBytes / 8, MIB, 64 * MIB);
    long decoded = Math.max(message, heapBytes / 4);
    long buffered = Math.max(decoded, heapBytes / 2);
    int config = (int) Math.clamp(heapBytes / 64, 64 * KIB, 16 * MIB);
    long configs = Math.max(config, heapBytes / 8);
    // About 64 KiB of heap per connection at most (its buffers, and a thread's share of garbage).
    long byHeap = heapBytes / (64 * KIB);
    long byFds = fdLimit > 0 ? (fdLimit - 256) / 4 : Long.MAX_VALUE;
    int connections = (int) Math.clamp(Math.min(byHeap, byFds), 16, 16_384);
    return new PeerLimits(
        message, decoded, buffered, config, configs, connections, Duration.ofSeconds(10));
  }

  private static long fileDescriptorLimit() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return -1;
  }

  public PeerLimits withMaxMessageBytes(int value) {
    long decoded = Math.max(value, maxDecodedBytes);
    return new PeerLimits(value, decoded, Math.max(decoded, maxBufferedBytes), maxConfigBytes,
        maxTotalConfigBytes, maxConnections, readTimeout);
  }

  public PeerLimits withMaxDecodedBytes(long value) {
    return new PeerLimits(maxMessageBytes, value, Math.max(value, maxBufferedBytes),
        maxConfigBytes, maxTotalConfigBytes, maxConnections, readTimeout);
  }

  public PeerLimits withMaxBufferedBytes(long value) {
    return new PeerLimits(maxMessageBytes, maxDecodedBytes, value, maxConfigBytes,
        maxTotalConfigBytes, maxConnections, readTimeout);
  }

  public PeerLimits withMaxConfigBytes(int value) {
    return new PeerLimits(maxMessageBytes, maxDecodedBytes, maxBufferedBytes, value,
        Math.max(value, maxTotalConfigBytes), maxConnections, readTimeout);
  }

  public PeerLimits withMaxTotalConfigBytes(long value) {
    return new PeerLimits(maxMessageBytes, maxDecodedBytes, maxBufferedBytes, maxConfigBytes,
        value, maxConnections, readTimeout);
  }

  public PeerLimits withMaxConnections(int value) {
    return new PeerLimits(maxMessageBytes, maxDecodedBytes, maxBufferedBytes, maxConfigBytes,
        maxTotalConfigBytes, value, readTimeout);
  }

  public PeerLimits withReadTimeout(Duration value) {
    return new PeerLimits(maxMessageBytes, maxDecodedBytes, maxBufferedBytes, maxConfigBytes,
        maxTotalConfigBytes, maxConnections, value);
  }
}
