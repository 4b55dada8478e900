package dev.kongpdk.bridge;

import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginMetrics;

/**
 * Hears what a {@link PluginServer} does, with the plugin and phase it concerns: the hook a metrics
 * module ({@code dev.kongpdk:pdk-metrics}) publishes the server's figures through. Every method
 * does nothing by default; the server calls them on its own threads, in the middle of serving
 * Kong, so an implementation must be thread-safe and return quickly (count, never block).
 *
 * <p>A server without an observer uses {@link #NONE}. The command line finds an implementation
 * through {@link ServerObserverFactory} only when a {@code --metrics-*} option is given, so a
 * plugin server started without one loads no metrics code at all.
 */
public interface ServerObserver extends AutoCloseable {

  /** The observer that hears nothing, used when no metrics are published. */
  ServerObserver NONE = new ServerObserver() {};

  /** How an event that ran ended, as far as Kong is concerned. */
  enum EventEnd {
    /** The handler returned and Kong was told the event is over. */
    COMPLETED,
    /** The handler sent {@code kong.response.exit} (or {@code kong.response.error}). */
    EXITED,
    /**
     * The event was ended for it: the handler neither called Kong nor returned within the event
     * timeout (Kong got a 500 or, fail-open, an error), or the server was shutting down.
     */
    TIMED_OUT
  }

  /**
   * The server has started serving; {@code server} gives the live figures (events in flight,
   * instances, open connections) until it is closed.
   *
   * @param server the server
   */
  default void serverStarted(PluginServer server) {}

  /**
   * Kong started an event ({@code plugin.HandleEvent}).
   *
   * @param plugin the plugin name
   * @param phase the phase
   */
  default void eventStarted(String plugin, Phase phase) {}

  /**
   * An event ended.
   *
   * @param plugin the plugin name
   * @param phase the phase
   * @param end how it ended
   * @param nanos how long it took, from {@code plugin.HandleEvent} to its end
   */
  default void eventEnded(String plugin, Phase phase, EventEnd end, long nanos) {}

  /**
   * The plugin's handler threw; the event also ends, as {@link EventEnd#EXITED} when it failed
   * closed (Kong answered 500) or as {@link EventEnd#COMPLETED} otherwise.
   *
   * @param plugin the plugin name
   * @param phase the phase
   */
  default void eventFailed(String plugin, Phase phase) {}

  /**
   * An event was refused before it started because the server is over its limits (events in
   * flight, memory): Kong got an error instead.
   *
   * @param plugin the plugin name
   * @param phase the phase
   */
  default void eventShed(String plugin, Phase phase) {}

  /**
   * A PDK call of an event was answered by Kong.
   *
   * @param plugin the plugin name
   * @param phase the phase
   * @param method the Lua function, for example {@code kong.request.get_header}
   * @param nanos the round trip, from sending the call to reading Kong's answer
   */
  default void pdkCall(String plugin, Phase phase, String method, long nanos) {}

  /**
   * Kong started a plugin instance ({@code plugin.StartInstance}).
   *
   * @param plugin the plugin name
   */
  default void instanceStarted(String plugin) {}

  /**
   * A {@code plugin.StartInstance} was refused: its config did not bind, or the plugin is not served.
   *
   * @param plugin the plugin name, or {@code null} when Kong named a plugin this server does not
   *     serve
   */
  default void instanceRejected(String plugin) {}

  /**
   * Instances Kong had stopped using were removed.
   *
   * @param plugin the plugin name
   * @param count how many
   */
  default void instancesExpired(String plugin, int count) {}

  /** A message from Kong could not be decoded; its connection was closed. */
  default void malformedMessage() {}

  /** Kong was answered with an RPC error. */
  default void rpcError() {}

  /** A connection was refused because its peer is not the user allowed to connect. */
  default void peerRejected() {}

  /**
   * A connection from Kong was shed or closed because the server is over one of its limits.
   *
   * @param reason which limit: {@code connection_cap} (more connections than allowed),
   *     {@code memory_budget} (a message over a size limit or the shared budget) or
   *     {@code read_deadline} (a started message did not arrive in time)
   */
  default void connectionRefused(String reason) {}

  /**
   * The handler of an event was still running when Kong closed the event's connection (Kong gave
   * up on it); the handler was interrupted.
   *
   * @param plugin the plugin name
   * @param phase the phase
   */
  default void eventLost(String plugin, Phase phase) {}

  /**
   * A StartInstance was refused because its config is larger than the config limits.
   *
   * @param plugin the plugin name
   */
  default void configOverLimit(String plugin) {}

  /** Accepting or setting up a connection failed (out of file descriptors, typically). */
  default void acceptFailed() {}

  /**
   * Returns the meters plugin {@code plugin} publishes its own figures on; it receives them in its
   * constructor when it takes a {@link PluginMetrics}.
   *
   * @param plugin the plugin name
   * @return the plugin's meters
   */
  default PluginMetrics pluginMetrics(String plugin) {
    return PluginMetrics.none();
  }

  /** The server has stopped: publishes what is left and releases ports and threads. */
  @Override
  default void close() {}
}
