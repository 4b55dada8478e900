package com.example.authrouter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Remembers the auth service's verdicts for a short time, so that a busy client does not cost one
 * auth call per request. Bounded: past {@code maxEntries} the least recently used entry goes.
 * Keys are SHA-256 digests of the tokens, so the tokens themselves are not kept in memory.
 * Safe for concurrent use (Kong's events run on many threads at once).
 */
final class AnswerCache {

  private record Cached(AuthAnswer answer, long expiresAtNanos) {}

  private final long ttlNanos;
  private final LongSupplier nanoClock;
  private final Map<String, Cached> entries;

  AnswerCache(long ttlNanos, int maxEntries, LongSupplier nanoClock) {
    this.ttlNanos = ttlNanos;
    this.nanoClock = nanoClock;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
        return size() > maxEntries;
      }
    };
  }

  /** Returns the cached answer for the token, if there is one that has not expired. */
  synchronized Optional<AuthAnswer> get(String token) {
    String key = digest(token);
    Cached entry = entries.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    if (nanoClock.getAsLong() - entry.expiresAtNanos() >= 0) {
      entries.remove(key);
      return Optional.empty();
    }
    return Optional.of(entry.answer());
  }

  /** Caches the answer for the token when it may be cached and caching is on (a TTL above 0). */
  synchronized void put(String token, AuthAnswer answer) {
    if (ttlNanos > 0 && answer.cacheable()) {
      entries.put(digest(token), new Cached(answer, nanoClock.getAsLong() + ttlNanos));
    }
  }

  synchronized int size() {
    return entries.size();
  }

  private static String digest(String token) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
