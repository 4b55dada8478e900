package dev.kongpdk.testkit;

import dev.kongpdk.Kong;
import dev.kongpdk.PdkException;
import dev.kongpdk.bridge.EventEndedException;
import dev.kongpdk.plugin.Phase;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A small stand-in for a Lua plugin (or any other plugin) running next to the plugin under test,
 * for example an auth plugin that sets {@code kong.ctx.shared} or a header:
 *
 * <pre>{@code
 * LuaStandIn.named("rate-limiting").priority(910)
 *     .access(kong -> kong.response().setHeader("X-RateLimit-Remaining", "4"))
 * }</pre>
 *
 * <p>It runs in process against the same simulated Kong, in priority order with the other
 * plugins. Like a Lua plugin, a stand-in that throws in a request phase makes Kong answer 500.
 */
public final class LuaStandIn {

  /** A phase handler of a stand-in. */
  @FunctionalInterface
  public interface Handler {
    /**
     * Runs the phase.
     *
     * @param kong the PDK for this event
     * @throws Exception any failure
     */
    void handle(Kong kong) throws Exception;
  }

  private final String name;
  private final int priority;
  private final Map<Phase, Handler> handlers;

  private LuaStandIn(String name, int priority, Map<Phase, Handler> handlers) {
    this.name = name;
    this.priority = priority;
    this.handlers = handlers;
  }

  /**
   * Starts a stand-in with priority 0 and no phases.
   *
   * @param name the plugin name, for example {@code key-auth}
   * @return the stand-in
   */
  public static LuaStandIn named(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a stand-in needs a name");
    }
    return new LuaStandIn(name, 0, new EnumMap<>(Phase.class));
  }

  /** Returns a copy with {@code priority} (higher runs first). @param priority the priority @return the copy */
  public LuaStandIn priority(int priority) {
    return new LuaStandIn(name, priority, handlers);
  }

  /** Returns a copy that runs {@code handler} in {@code rewrite}. @param handler the handler @return the copy */
  public LuaStandIn rewrite(Handler handler) {
    return with(Phase.REWRITE, handler);
  }

  /** Returns a copy that runs {@code handler} in {@code access}. @param handler the handler @return the copy */
  public LuaStandIn access(Handler handler) {
    return with(Phase.ACCESS, handler);
  }

  /** Returns a copy that runs {@code handler} in {@code response}. @param handler the handler @return the copy */
  public LuaStandIn response(Handler handler) {
    return with(Phase.RESPONSE, handler);
  }

  /** Returns a copy that runs {@code handler} in {@code log}. @param handler the handler @return the copy */
  public LuaStandIn log(Handler handler) {
    return with(Phase.LOG, handler);
  }

  /** Returns the name. */
  public String name() {
    return name;
  }

  private LuaStandIn with(Phase phase, Handler handler) {
    Map<Phase, Handler> copy = new EnumMap<>(Phase.class);
    copy.putAll(handlers);
    copy.put(phase, Objects.requireNonNull(handler, "handler"));
    return new LuaStandIn(name, priority, copy);
  }

  RunnablePlugin runnable() {
    return new RunnablePlugin() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public int priority() {
        return priority;
      }

      @Override
      public Set<Phase> phases() {
        return Collections.unmodifiableSet(handlers.keySet());
      }

      @Override
      public void run(Phase phase, FakeKong kong) {
        Kong pdk = Kong.over(new EventBridge(kong));
        try {
          handlers.get(phase).handle(pdk);
        } catch (UnsimulatedCallError e) {
          throw e;
        } catch (PdkException e) {
          if (!(e.getCause() instanceof EventEndedException)) {
            fail(pdk, phase, e);
          }
        } catch (Exception e) {
          fail(pdk, phase, e);
        }
      }
    };
  }

  private void fail(Kong pdk, Phase phase, Exception e) {
    try {
      pdk.log().err("stand-in '" + name + "' failed: " + e);
      if (phase != Phase.LOG) {
        pdk.response().exit(500, Map.of("message", "An unexpected error occurred"), Map.of());
      }
    } catch (PdkException ignored) {
      // the event had already ended
    }
  }
}
