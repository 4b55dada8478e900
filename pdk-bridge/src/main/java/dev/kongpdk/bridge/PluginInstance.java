package dev.kongpdk.bridge;

import dev.kongpdk.Bridge;
import dev.kongpdk.Kong;
import dev.kongpdk.PdkException;
import dev.kongpdk.bridge.internal.config.ConfigBinder;
import dev.kongpdk.plugin.AccessPhase;
import dev.kongpdk.plugin.CertificatePhase;
import dev.kongpdk.plugin.InstanceInfo;
import dev.kongpdk.plugin.KongVersion;
import dev.kongpdk.plugin.LogPhase;
import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginDescriptor;
import dev.kongpdk.plugin.PluginMetrics;
import dev.kongpdk.plugin.PrereadPhase;
import dev.kongpdk.plugin.ResponsePhase;
import dev.kongpdk.plugin.RewritePhase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.System.Logger.Level;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One plugin object with its bound config, as Kong's {@code plugin.StartInstance} creates it, and
 * the rules for running its phases: the plugin server and the testkit both run plugins through this
 * class, so a plugin behaves the same in tests and behind Kong.
 *
 * <p>Instances are thread-safe as far as this class goes; whether several events may run the same
 * plugin object at once is up to the plugin, as in Kong (one object serves all requests of a
 * worker).
 */
public final class PluginInstance {

  /** The body Kong's own runloop sends when a Lua plugin throws. */
  public static final Map<String, String> UNEXPECTED_ERROR_BODY =
      Map.of("message", "An unexpected error occurred");

  /** Phases where a failure can still change the client's response with {@code kong.response.exit}. */
  private static final Set<Phase> EXIT_PHASES =
      EnumSet.of(Phase.REWRITE, Phase.ACCESS, Phase.RESPONSE, Phase.PREREAD);

  private static final System.Logger LOG = System.getLogger(PluginInstance.class.getName());

  private final PluginDescriptor descriptor;
  private final Record config;
  private final Object plugin;
  /** The size of the config JSON, counted against the server's config limit. */
  private int configBytes;
  private final KongVersion kongVersion;
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean closeRequested;

  private PluginInstance(PluginDescriptor descriptor, Record config, Object plugin, KongVersion kongVersion) {
    this.descriptor = descriptor;
    this.config = config;
    this.plugin = plugin;
    this.kongVersion = kongVersion;
  }

  /**
   * Binds {@code configJson} and creates the plugin object.
   *
   * @param descriptor the plugin
   * @param configJson the config JSON as Kong sends it (injected keys are ignored)
   * @return the instance
   * @throws ConfigException when the config cannot be bound or the plugin's constructor rejects it
   */
  public static PluginInstance start(PluginDescriptor descriptor, String configJson)
      throws ConfigException {
    return create(descriptor, configJson, null);
  }

  /**
   * Binds {@code configJson} and creates the plugin object, handing it {@code metrics} when its
   * constructor takes a {@link PluginMetrics}.
   *
   * @param descriptor the plugin
   * @param configJson the config JSON as Kong sends it (injected keys are ignored)
   * @param metrics the plugin's meters
   * @return the instance
   * @throws ConfigException when the config cannot be bound or the plugin's constructor rejects it
   */
  public static PluginInstance start(
      PluginDescriptor descriptor, String configJson, PluginMetrics metrics) throws ConfigException {
    return create(descriptor, configJson, Objects.requireNonNull(metrics, "metrics"));
  }

  private static PluginInstance create(
      PluginDescriptor descriptor, String configJson, PluginMetrics metrics) throws ConfigException {
    ConfigBinder binder = new ConfigBinder();
    Record config = binder.bind(descriptor, configJson);
    InstanceInfo instance = binder.instanceInfo(configJson);
    try {
      Object plugin = metrics == null
          ? descriptor.newPlugin(config, instance) // loads no metrics type
          : descriptor.newPlugin(config, instance, metrics);
      PluginInstance started = new PluginInstance(descriptor, config, plugin, KongVersion.of(instance));
      started.configBytes = configJson == null ? 0 : configJson.length();
      return started;
    } catch (RuntimeException e) {
      throw new ConfigException(
          "plugin '" + descriptor.name() + "' rejected its config: " + e.getMessage(), e);
    }
  }

  /** Returns the length of the config JSON this instance was started with. */
  public int configBytes() {
    return configBytes;
  }

  /** Returns the plugin's descriptor. */
  public PluginDescriptor descriptor() {
    return descriptor;
  }

  /** Returns the bound config record, or {@code null} when the plugin takes no config. */
  public Record config() {
    return config;
  }

  /** Returns the Kong release line that started this instance (told from its config). */
  public KongVersion kongVersion() {
    return kongVersion;
  }

  /**
   * Returns the typed PDK for one event of this instance: calls the phase or this Kong version
   * does not allow are refused before they are sent.
   *
   * @param phase the event's phase
   * @param bridge answers the event's PDK calls
   * @return the PDK for the event
   */
  public Kong pdk(Phase phase, Bridge bridge) {
    return Kong.over(bridge, phase, kongVersion);
  }

  /** Returns the plugin object. */
  public Object plugin() {
    return plugin;
  }

  /**
   * Runs one phase of the plugin over {@code bridge}. When the plugin throws, the failure is logged
   * locally and to Kong's error log with the plugin's name; in a request phase the client then gets
   * {@code 500 {"message":"An unexpected error occurred"}}, as from a throwing Lua plugin, unless
   * the plugin is marked fail-open.
   *
   * @param phase the phase Kong asked for
   * @param bridge answers the plugin's PDK calls for this event
   * @return the plugin's failure, or {@code null} when the phase completed
   * @throws IllegalArgumentException when the plugin does not implement {@code phase}
   */
  public Throwable handle(Phase phase, Bridge bridge) {
    Kong kong = pdk(phase, bridge);
    Throwable failure = run(phase, kong);
    if (failure != null) {
      reportFailure(phase, kong, failure);
    }
    return failure;
  }

  /**
   * Runs one phase of the plugin and returns its failure without reporting it; see {@link
   * #handle} for the usual way.
   *
   * @param phase the phase Kong asked for
   * @param kong the PDK for this event
   * @return the plugin's failure, or {@code null} when the phase completed
   */
  public Throwable run(Phase phase, Kong kong) {
    running.incrementAndGet();
    try {
      invoke(phase, kong);
      return null;
    } catch (Throwable failure) {
      return failure;
    } finally {
      if (running.decrementAndGet() == 0 && closeRequested) {
        closePlugin();
      }
    }
  }

  /**
   * Releases the plugin object: Kong closed the instance ({@code plugin.CloseInstance}, sent after
   * every configuration change), the server dropped it as idle, or the server is stopping. A
   * plugin that implements {@link AutoCloseable} is closed once, after the events still running
   * on it have finished; a failing {@code close()} is logged, never thrown.
   */
  public void close() {
    closeRequested = true;
    if (running.get() == 0) {
      closePlugin();
    }
  }

  private void closePlugin() {
    if (!(plugin instanceof AutoCloseable closeable) || !closed.compareAndSet(false, true)) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "plugin '" + descriptor.name() + "': close() failed", e);
    }
  }

  private void invoke(Phase phase, Kong kong) throws Exception {
    switch (phase) {
      case CERTIFICATE -> as(CertificatePhase.class, phase).certificate(kong);
      case REWRITE -> as(RewritePhase.class, phase).rewrite(kong);
      case ACCESS -> as(AccessPhase.class, phase).access(kong);
      case RESPONSE -> as(ResponsePhase.class, phase).response(kong);
      case PREREAD -> as(PrereadPhase.class, phase).preread(kong);
      case LOG -> as(LogPhase.class, phase).log(kong);
    }
  }

  private <T> T as(Class<T> phaseType, Phase phase) {
    if (!phaseType.isInstance(plugin)) {
      throw new IllegalArgumentException(
          "plugin '" + descriptor.name() + "' does not implement the " + phase.luaName() + " phase");
    }
    return phaseType.cast(plugin);
  }

  /**
   * Reports a failure of the plugin the way {@link #handle} does: to the local log and, while Kong
   * still listens to the event, to Kong's error log with the plugin's name, followed by a 500 to
   * the client when the phase {@linkplain #failsClosedIn fails closed}.
   *
   * @param phase the phase that failed
   * @param kong the PDK of the failed event
   * @param failure what the plugin threw
   */
  public void reportFailure(Phase phase, Kong kong, Throwable failure) {
    String what = "plugin '" + descriptor.name() + "' failed in the " + phase.luaName() + " phase";
    LOG.log(Level.ERROR, what, failure);
    if (failure instanceof PdkException pdk && pdk.getCause() instanceof EventEndedException) {
      return; // Kong no longer listens to this event: nothing more can be sent.
    }
    try {
      kong.log().err(what + ": " + stackTrace(failure));
      if (failsClosedIn(phase)) {
        kong.response().exit(500, UNEXPECTED_ERROR_BODY, Map.of());
        LOG.log(Level.ERROR, "plugin ''{0}'': answered 500 to the client (fail closed)", descriptor.name());
      }
    } catch (PdkException e) {
      LOG.log(Level.WARNING, "could not report the failure of plugin '" + descriptor.name() + "' to Kong", e);
    }
  }

  /**
   * Returns whether a failure in {@code phase} ends the request with a 500: true in the phases
   * that can still change the client's response (rewrite, access, response, preread) unless the
   * plugin is marked fail-open.
   *
   * @param phase the phase that failed
   * @return whether the client gets a 500
   */
  public boolean failsClosedIn(Phase phase) {
    return EXIT_PHASES.contains(phase) && !descriptor.failOpen();
  }

  private static String stackTrace(Throwable failure) {
    StringWriter text = new StringWriter();
    failure.printStackTrace(new PrintWriter(text));
    return text.toString().stripTrailing();
  }
}
