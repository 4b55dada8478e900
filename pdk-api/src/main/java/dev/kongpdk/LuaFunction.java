package dev.kongpdk;

import dev.kongpdk.plugin.Phase;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the Lua PDK function a typed method calls, and the external-plugin phases in which Kong
 * allows it. Every method of the PDK module interfaces carries it; the Lua-to-Java mapping in
 * {@code docs/pdk-mapping.md} is checked against these annotations.
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
   * The phases of an external plugin in which Kong's phase check lets the call through. Empty means
   * Kong does not check the phase.
   *
   * @return the allowed phases
   */
  Phase[] phases() default {};

  /**
   * Whether the call passes Kong's phase check in the log phase but reads request state that Kong
   * no longer holds when an external plugin's log handler runs (it runs in a timer), so it may fail
   * there.
   *
   * @return {@code true} when the call may fail in the log phase
   */
  boolean logMayFail() default false;
}
