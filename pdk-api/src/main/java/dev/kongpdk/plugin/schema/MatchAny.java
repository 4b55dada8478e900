package dev.kongpdk.plugin.schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Kong attribute {@code match_any}: the string must contain a match of at least one of the Lua
 * patterns (see {@link Match}); otherwise the error is {@link #err()}. Allowed on {@code String}, or
 * on a list, set or map of strings (each element; map: each value).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface MatchAny {

  /** The Lua patterns ({@code patterns}). */
  String[] patterns();

  /** The error message when none matches ({@code err}); empty for Kong's default message. */
  String err() default "";
}
