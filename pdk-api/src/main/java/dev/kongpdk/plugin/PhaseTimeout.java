package dev.kongpdk.plugin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The longest a plugin's own code may run in a phase without calling Kong or returning, when that
 * should be shorter than the server's event timeout. Past it the server answers Kong with the
 * plugin's failure policy (a 500, or the request goes on for a {@linkplain KongPlugin#failOpen()
 * fail-open} plugin) and interrupts the handler, exactly as at the event timeout.
 *
 * <p>On a phase method ({@code access(Kong)}, ...) it bounds that phase; on the plugin class it
 * bounds every phase without one of its own. The clock starts again at each PDK answer from Kong,
 * so it bounds each stretch of plugin code (a call to a slow service, for instance), not the
 * phase's PDK calls. A value longer than the server's event timeout has no effect: the event
 * timeout always applies too.
 *
 * <pre>{@code
 * @KongPlugin(name = "auth", version = "1.0.0", priority = 1000)
 * public final class Auth implements AccessPhase {
 *   @PhaseTimeout(millis = 2_000)   // the auth service answers in 2 s or the client gets a 500
 *   @Override public void access(Kong kong) { ... }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface PhaseTimeout {

  /** The limit in milliseconds; at least 1. */
  long millis();
}
