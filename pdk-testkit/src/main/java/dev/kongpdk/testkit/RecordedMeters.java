package dev.kongpdk.testkit;

import dev.kongpdk.plugin.PluginMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters plugins recorded through their {@link PluginMetrics} during an in-process run ({@link
 * PluginTester#run()}): counts and timings by plugin, meter name and tags. A run over a socket
 * records nothing here (the server process holds those meters).
 *
 * <pre>{@code
 * TestResult r = PluginTester.forPlugin(AuthRouter.class).config(...).request(...).run();
 * assertEquals(1, r.meters().count("denials", "reason", "missing_token"));
 * }</pre>
 */
public final class RecordedMeters {

  /** One series: a plugin's meter with its tags. */
  private record Series(String plugin, String name, Map<String, String> tags) {}

  private final Map<Series, AtomicLong> counters;
  private final Map<Series, List<Duration>> timers;
  private final String plugin;

  /**
   * Creates empty meters, for a test that constructs a plugin itself; {@link #forPlugin(String)}
   * gives the plugin what it records with.
   */
  public RecordedMeters() {
    this(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), null);
  }

  private RecordedMeters(
      Map<Series, AtomicLong> counters, Map<Series, List<Duration>> timers, String plugin) {
    this.counters = counters;
    this.timers = timers;
    this.plugin = plugin;
  }

  /**
   * Returns the {@link PluginMetrics} plugin {@code pluginName} records into, to pass to its
   * constructor.
   *
   * @param pluginName the plugin name
   * @return the plugin's meters
   */
  public PluginMetrics forPlugin(String pluginName) {
    return new PluginMetrics() {
      @Override
      public Counter counter(String name, String... tags) {
        PluginMetrics.check(name, tags);
        AtomicLong count = counters.computeIfAbsent(series(pluginName, name, tags), s -> new AtomicLong());
        return amount -> {
          if (amount < 0) {
            throw new IllegalArgumentException("counter '" + name + "' only goes up; got " + amount);
          }
          count.addAndGet(amount);
        };
      }

      @Override
      public Timer timer(String name, String... tags) {
        PluginMetrics.check(name, tags);
        List<Duration> times = timers.computeIfAbsent(
            series(pluginName, name, tags), s -> Collections.synchronizedList(new ArrayList<>()));
        return duration -> times.add(Objects.requireNonNull(duration, "duration"));
      }
    };
  }

  /**
   * Returns the meters of one plugin only.
   *
   * @param pluginName the plugin name
   * @return a view of its meters
   */
  public RecordedMeters plugin(String pluginName) {
    return new RecordedMeters(counters, timers, Objects.requireNonNull(pluginName, "pluginName"));
  }

  /**
   * Returns the count of counter {@code name}, summed over the series whose tags include {@code
   * tags} (all of them when none are given); 0 when nothing was counted.
   *
   * @param name the meter name the plugin used, for example {@code cache.hits}
   * @param tags pairs of key and value the series must have
   * @return the count
   */
  public long count(String name, String... tags) {
    Map<String, String> wanted = tagMap(tags);
    return counters.entrySet().stream()
        .filter(e -> matches(e.getKey(), name, wanted))
        .mapToLong(e -> e.getValue().get())
        .sum();
  }

  /**
   * Returns the durations recorded by timer {@code name} in the series whose tags include {@code
   * tags}, in the order recorded within each series.
   *
   * @param name the meter name
   * @param tags pairs of key and value the series must have
   * @return the durations
   */
  public List<Duration> timings(String name, String... tags) {
    Map<String, String> wanted = tagMap(tags);
    List<Duration> all = new ArrayList<>();
    timers.entrySet().stream()
        .filter(e -> matches(e.getKey(), name, wanted))
        .forEach(e -> {
          synchronized (e.getValue()) {
            all.addAll(e.getValue());
          }
        });
    return List.copyOf(all);
  }

  /** Returns the names of every meter the plugins created, counters and timers. */
  public Set<String> names() {
    Set<String> names = new TreeSet<>();
    counters.keySet().stream().filter(this::ofPlugin).forEach(s -> names.add(s.name()));
    timers.keySet().stream().filter(this::ofPlugin).forEach(s -> names.add(s.name()));
    return names;
  }

  private boolean matches(Series series, String name, Map<String, String> wanted) {
    return ofPlugin(series) && series.name().equals(name)
        && series.tags().entrySet().containsAll(wanted.entrySet());
  }

  private boolean ofPlugin(Series series) {
    return plugin == null || plugin.equals(series.plugin());
  }

  private static Series series(String plugin, String name, String... tags) {
    return new Series(plugin, name, tagMap(tags));
  }

  private static Map<String, String> tagMap(String... tags) {
    if (tags.length % 2 != 0) {
      throw new IllegalArgumentException("tags must be key, value pairs; got " + tags.length + " strings");
    }
    Map<String, String> map = new TreeMap<>();
    for (int i = 0; i < tags.length; i += 2) {
      map.put(tags[i], tags[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }

  @Override
  public String toString() {
    return "RecordedMeters" + counters + timers.keySet();
  }
}
