package dev.kongpdk.conformance;

/**
 * How a row came out.
 *
 * @param status {@code ok}, {@code refused} (the typed API refused the call before sending it, as
 *     documented), {@code fail} or {@code not-run}
 * @param detail why, in a sentence; empty for a plain {@code ok}
 */
public record Verdict(String status, String detail) {}
