package dev.kongpdk.bridge.internal.event;

import java.security.SecureRandom;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The events in flight, by id. Steps of one event may arrive on any connection, so events are
 * global, not per connection. Ids start at a random point below 2^40 (Kong's numbers are Lua
 * doubles, exact up to 2^53), so a Step meant for a previous server process cannot reach an event
 * of this one.
 */
public final class Events {

  private final Map<Long, Event> byId = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(1 + (new SecureRandom().nextLong() >>> 24));

  public long newId() {
    return nextId.getAndIncrement();
  }

  public void add(Event event) {
    byId.put(event.id(), event);
  }

  public Optional<Event> get(long id) {
    return Optional.ofNullable(byId.get(id));
  }

  public void remove(long id) {
    byId.remove(id);
  }

  public int size() {
    return byId.size();
  }

  public Collection<Event> all() {
    return byId.values();
  }
}
