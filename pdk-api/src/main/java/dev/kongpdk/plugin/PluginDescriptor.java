package dev.kongpdk.plugin;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * What a runtime needs to know about one plugin: its Kong metadata, its schema and how to create
 * it. The annotation processor generates one implementation per {@link KongPlugin} class and
 * registers it for {@link ServiceLoader}; runtimes and test kits read it, plugin authors do not
 * implement it.
 */
public interface PluginDescriptor {

  /** Returns the plugin name ({@link KongPlugin#name()}). */
  String name();

  /** Returns the plugin version ({@link KongPlugin#version()}). */
  String version();

  /** Returns the plugin priority ({@link KongPlugin#priority()}). */
  int priority();

  /** Returns the phases the plugin implements, in the order Kong runs them. */
  List<Phase> phases();

  /** Returns whether a failing request phase lets the request through ({@link KongPlugin#failOpen()}). */
  boolean failOpen();

  /**
   * Returns the protocol Kong is to speak to the plugin's server ({@link KongPlugin#protocol()},
   * read from the plugin class; {@link Protocol#MSGPACK} when the class is not annotated).
   */
  default Protocol protocol() {
    KongPlugin annotation = pluginClass().getAnnotation(KongPlugin.class);
    return annotation == null ? Protocol.MSGPACK : annotation.protocol();
  }

  /**
   * Returns how long the plugin's own code may run in {@code phase} without calling Kong or
   * returning ({@link PhaseTimeout}, read from the phase method, else from the plugin class), or
   * empty when the plugin sets no such limit.
   *
   * @throws IllegalStateException when the annotation's value is not positive
   */
  default Optional<Duration> phaseTimeout(Phase phase) {
    Class<?> type = pluginClass();
    PhaseTimeout limit = null;
    for (Method method : type.getMethods()) {
      if (method.getName().equals(phase.luaName()) && method.getParameterCount() == 1
          && method.isAnnotationPresent(PhaseTimeout.class)) {
        limit = method.getAnnotation(PhaseTimeout.class);
        break;
      }
    }
    if (limit == null) {
      limit = type.getAnnotation(PhaseTimeout.class);
    }
    if (limit == null) {
      return Optional.empty();
    }
    if (limit.millis() < 1) {
      throw new IllegalStateException("plugin '" + name() + "': @PhaseTimeout(millis = "
          + limit.millis() + ") must be at least 1 ms");
    }
    return Optional.of(Duration.ofMillis(limit.millis()));
  }

  /** Returns the plugin class. */
  Class<?> pluginClass();

  /** Returns the config record type, or empty when the plugin takes no config. */
  Optional<Class<? extends Record>> configType();

  /**
   * Returns the Kong schema as JSON text: {@code {"name":..., "fields":[{"config":{"type":"record",
   * "fields":[...]}}]}}.
   */
  String schemaJson();

  /**
   * Creates a plugin object for one Kong plugin instance.
   *
   * @param config the bound config record, or {@code null} when the plugin takes no config
   * @return the new plugin object
   */
  Object newPlugin(Record config);

  /**
   * Creates a plugin object for one Kong plugin instance, giving it what Kong said about the
   * instance when its constructor takes an {@link InstanceInfo}.
   *
   * @param config the bound config record, or {@code null} when the plugin takes no config
   * @param instance the instance information from the keys Kong injected into the config
   * @return the new plugin object
   */
  default Object newPlugin(Record config, InstanceInfo instance) {
    return newPlugin(config);
  }

  /**
   * Creates a plugin object for one Kong plugin instance, giving it the instance information and,
   * when its constructor takes a {@link PluginMetrics}, the meters it publishes its own figures on.
   *
   * @param config the bound config record, or {@code null} when the plugin takes no config
   * @param instance the instance information from the keys Kong injected into the config
   * @param metrics the plugin's meters ({@link PluginMetrics#none()} when nothing is published)
   * @return the new plugin object
   */
  default Object newPlugin(Record config, InstanceInfo instance, PluginMetrics metrics) {
    return newPlugin(config, instance);
  }

  /**
   * Finds the descriptor generated for {@code pluginClass} on its class loader.
   *
   * @param pluginClass a class annotated with {@link KongPlugin}
   * @return the descriptor
   * @throws IllegalStateException when none was generated, which means the annotation processor
   *     did not run: put {@code pdk-processor} on the annotation processor path
   */
  static PluginDescriptor of(Class<?> pluginClass) {
    for (PluginDescriptor descriptor :
        ServiceLoader.load(PluginDescriptor.class, pluginClass.getClassLoader())) {
      if (descriptor.pluginClass() == pluginClass) {
        return descriptor;
      }
    }
    throw new IllegalStateException(
        "no plugin descriptor for "
            + pluginClass.getName()
            + ": is it annotated with @KongPlugin, and is dev.kongpdk:pdk-processor on the"
            + " annotation processor path (maven-compiler-plugin <annotationProcessorPaths>)?");
  }
}
