package dev.kongpdk;

import dev.kongpdk.plugin.Phase;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the Lua PDK function a typed method calls, the external-plugin phases in which Kong
 * answers it and the Kong versions that have it. Every method of the PDK module interfaces carries
 * it; the Lua-to-Java mapping in {@code docs/pdk-mapping.md} is checked against these annotations,
 * and the typed API refuses, before sending, a call the current phase or Kong version does not
 * allow.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface LuaFunction {

  /**
   * The full Lua name, for example {@code "kong.request.get_header"}.
   *
   * @return the Lua function
   */
  String value();

  /**
   * The phases of an external plugin in which the call works: Kong's phase check lets it through,
   * and in the log phase Kong can still answer it there (an external plugin's log handler runs
   * after the response has been sent, in a timer, where functions that read nginx's request state
   * raise). Empty means any phase. The typed API refuses a call outside these phases with a
   * {@link PdkException} before sending it, because Kong answers such a call with a Lua error that
   * ends the event and, in the log phase, leaves saved request data behind for later requests.
   *
   * @return the allowed phases
   */
  Phase[] phases() default {};

  /**
   * The phases Kong 2.x allows, when they are fewer than {@link #phases}; empty when they are the
   * same. On Kong 2.x the typed API refuses the call outside them.
   *
   * @return Kong 2.x's phases, or empty
   */
  Phase[] kong2Phases() default {};

  /**
   * The first Kong version that has the function, when it came after Kong 2.8 (for example
   * {@code "3.0"}); empty when Kong 2.8 has it. On Kong 2.x the typed API refuses the call with a
   * {@link PdkException} before sending it (Kong 2.8 would answer nothing).
   *
   * @return the Kong version, or empty
   */
  String since() default "";

  /**
   * Whether Kong's plugin server answers the call in the log phase from the request data it saved
   * when the response was sent (request and response headers, status, {@code kong.ctx.shared},
   * the serialized log). On Kong 2.x, whose log handler runs without a request phase, these are the
   * only phase-checked calls that work in the log phase; the typed API refuses the others there.
   *
   * @return {@code true} when the log phase is answered from saved data
   */
  boolean savedForLog() default false;
}
