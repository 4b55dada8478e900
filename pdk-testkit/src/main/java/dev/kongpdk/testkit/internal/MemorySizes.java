package dev.kongpdk.testkit.internal;

import java.util.Locale;

/** Byte counts as {@code kong.node.get_memory_stats(unit, scale)} formats them. */
public final class MemorySizes {

  private MemorySizes() {}

  /**
   * Formats {@code bytes} in {@code unit} with {@code scale} decimals, for example {@code 40.00 KiB}.
   *
   * @param bytes the count
   * @param unit {@code k}, {@code m} or {@code g}
   * @param scale decimals
   * @return the text
   * @throws IllegalArgumentException for another unit
   */
  public static String format(long bytes, String unit, long scale) {
    return switch (unit) {
      case "k" -> String.format(Locale.ROOT, "%." + scale + "f KiB", bytes / 1024.0);
      case "m" -> String.format(Locale.ROOT, "%." + scale + "f MiB", bytes / 1048576.0);
      case "g" -> String.format(Locale.ROOT, "%." + scale + "f GiB", bytes / 1073741824.0);
      default -> throw new IllegalArgumentException("invalid unit '" + unit + "'");
    };
  }
}
