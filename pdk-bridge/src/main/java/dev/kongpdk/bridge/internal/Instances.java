package dev.kongpdk.bridge.internal;

import dev.kongpdk.bridge.PluginInstance;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The plugin instances Kong started, by the id this server gave them.
 *
 * <p>Ids start at a random point of the positive int32 range (ProtoBuf's instance id type), so a
 * restarted server does not hand out the ids its predecessor did: an id Kong still caches from
 * before a restart is then answered with {@code no plugin instance} instead of reaching another
 * instance's config.
 */
public final class Instances {

  /** A started instance and when Kong last used it. */
  public static final class Entry {
    private final int id;
    private final PluginInstance instance;
    private final Instant startedAt;
    private volatile Instant lastUsed;

    Entry(int id, PluginInstance instance, Instant now) {
      this.id = id;
      this.instance = instance;
      this.startedAt = now;
      this.lastUsed = now;
    }

    public int id() {
      return id;
    }

    public PluginInstance instance() {
      return instance;
    }

    public Instant startedAt() {
      return startedAt;
    }

    public Instant lastUsed() {
      return lastUsed;
    }
  }

  private final Map<Integer, Entry> byId = new ConcurrentHashMap<>();
  private final AtomicInteger nextId;
  private final Clock clock;

  public Instances(Clock clock) {
    this.clock = clock;
    this.nextId = new AtomicInteger(1 + new SecureRandom().nextInt(1 << 30));
  }

  /** Registers a started instance under a new id. */
  public Entry add(PluginInstance instance) {
    int id = nextId.getAndUpdate(i -> i == Integer.MAX_VALUE ? 1 : i + 1);
    Entry entry = new Entry(id, instance, clock.instant());
    byId.put(id, entry);
    return entry;
  }

  /** Finds an instance and marks it used. */
  public Optional<Entry> use(long id) {
    Entry entry = id == (int) id ? byId.get((int) id) : null;
    if (entry != null) {
      entry.lastUsed = clock.instant();
    }
    return Optional.ofNullable(entry);
  }

  /** Removes and closes an instance; returns it when it existed. */
  public Optional<Entry> remove(long id) {
    Entry entry = id == (int) id ? byId.remove((int) id) : null;
    if (entry != null) {
      entry.instance.close();
    }
    return Optional.ofNullable(entry);
  }

  /**
   * Removes and closes the instances Kong has not used for {@code idle}; returns how many of each
   * plugin (nothing when none was removed).
   */
  public Map<String, Integer> removeIdle(Duration idle) {
    Instant limit = clock.instant().minus(idle);
    Map<String, Integer> removed = new TreeMap<>();
    for (Entry entry : List.copyOf(byId.values())) {
      if (entry.lastUsed.isBefore(limit) && byId.remove(entry.id, entry)) {
        entry.instance.close();
        removed.merge(entry.instance.descriptor().name(), 1, Integer::sum);
      }
    }
    return removed;
  }

  /** Removes and closes every instance (the server is stopping). */
  public void closeAll() {
    for (Entry entry : List.copyOf(byId.values())) {
      if (byId.remove(entry.id, entry)) {
        entry.instance.close();
      }
    }
  }

  public Collection<Entry> all() {
    return byId.values();
  }
}
