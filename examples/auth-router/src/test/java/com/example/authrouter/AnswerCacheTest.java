package com.example.authrouter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AnswerCacheTest {

  private static final AuthAnswer ALICE = new AuthAnswer.Allowed(new Account("alice", 1, "free", Set.of()));
  private final AtomicLong now = new AtomicLong(1_000);

  @Test
  void answersFromTheCacheUntilTheTtlIsOver() {
    AnswerCache cache = new AnswerCache(100, 10, now::get);
    cache.put("token", ALICE);

    now.addAndGet(99);
    assertEquals(ALICE, cache.get("token").orElseThrow());
    now.addAndGet(1);
    assertTrue(cache.get("token").isEmpty());
    assertEquals(0, cache.size());
  }

  @Test
  void keepsRejectionsButNeverOutages() {
    AnswerCache cache = new AnswerCache(100, 10, now::get);
    cache.put("bad", new AuthAnswer.Denied(401, "invalid token"));
    cache.put("unlucky", new AuthAnswer.Unavailable("down"));

    assertEquals(new AuthAnswer.Denied(401, "invalid token"), cache.get("bad").orElseThrow());
    assertTrue(cache.get("unlucky").isEmpty());
  }

  @Test
  void dropsTheLeastRecentlyUsedEntryWhenFull() {
    AnswerCache cache = new AnswerCache(100, 2, now::get);
    cache.put("a", ALICE);
    cache.put("b", ALICE);
    cache.get("a");
    cache.put("c", ALICE);

    assertEquals(2, cache.size());
    assertTrue(cache.get("a").isPresent());
    assertTrue(cache.get("b").isEmpty());
    assertTrue(cache.get("c").isPresent());
  }

  @Test
  void cachesNothingWithAZeroTtl() {
    AnswerCache cache = new AnswerCache(0, 10, now::get);
    cache.put("token", ALICE);

    assertTrue(cache.get("token").isEmpty());
  }
}
