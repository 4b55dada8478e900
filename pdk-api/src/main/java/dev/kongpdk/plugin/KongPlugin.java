package dev.kongpdk.plugin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as a Kong plugin. The annotation processor of {@code pdk-processor} checks it at
 * compile time and writes the plugin descriptor and Kong schema from it.
 *
 * <p>The class implements one or more phase interfaces ({@link AccessPhase}, ...) and has a public
 * constructor that takes its config record, or a public no-argument constructor. Kong creates one
 * object per plugin instance (per configured plugin, per nginx worker).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface KongPlugin {

  /** The plugin name Kong knows it by, as in {@code plugins = bundled,<name>}. */
  String name();

  /** The plugin version, at most three numeric parts ({@code x.y.z}), as Kong 3.x requires. */
  String version();

  /** Kong's execution order among all plugins of a phase; higher runs first. */
  int priority();

  /**
   * What happens when a request-phase method throws. By default the client gets what a throwing
   * Lua plugin gives, a 500 (fail closed). With {@code true} the error is logged and the request
   * goes on without the plugin (fail open).
   */
  boolean failOpen() default false;

  /**
   * The protocol Kong speaks to the plugin server: {@link Protocol#MSGPACK} (the default, every
   * Lua PDK function) or {@link Protocol#PROTOBUF} (less CPU in Kong per call, fewer functions).
   * All plugins of one server process must use the same protocol.
   */
  Protocol protocol() default Protocol.MSGPACK;
}
