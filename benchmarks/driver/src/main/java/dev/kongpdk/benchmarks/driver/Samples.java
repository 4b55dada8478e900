package dev.kongpdk.benchmarks.driver;

import java.util.Arrays;
import java.util.List;

/** Latency samples in nanoseconds, kept exactly (bounded in count) and read as percentiles. */
final class Samples {

  private static final int MAX = 8_000_000;
  private long[] values = new long[4096];
  private int size;

  void add(long nanos) {
    if (size == values.length) {
      if (size >= MAX) {
        return; // bounded: the window is bounded in time, this only guards memory
      }
      values = Arrays.copyOf(values, Math.min(MAX, size * 2));
    }
    values[size++] = nanos;
  }

  int size() {
    return size;
  }

  /** Merges and sorts. */
  static long[] sorted(List<Samples> parts) {
    int total = 0;
    for (Samples s : parts) {
      total += s.size;
    }
    long[] all = new long[total];
    int at = 0;
    for (Samples s : parts) {
      System.arraycopy(s.values, 0, all, at, s.size);
      at += s.size;
    }
    Arrays.sort(all);
    return all;
  }

  /** The q-quantile of sorted values, in microseconds (nearest rank). */
  static double micros(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1000.0;
  }
}
