package dev.kongpdk.plugin.schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Kong attributes {@code len_eq}, {@code len_min} and {@code len_max}: the length of the component
 * itself, a string (in UTF-8 bytes, as Lua counts), list, set or map (entries). Give {@code eq}, or
 * {@code min} and/or {@code max}. Unlike the other validators it never applies to elements.
 *
 * <p>A {@code String} without {@code min} rejects the empty string, as in Kong; {@code min = 0}
 * accepts it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Length {

  /** {@code len_eq}: the exact length; {@code -1} (the default) for none. */
  int eq() default -1;

  /** {@code len_min}: the smallest length; {@code -1} (the default) for none. */
  int min() default -1;

  /** {@code len_max}: the largest length; {@code -1} (the default) for none. */
  int max() default -1;
}
