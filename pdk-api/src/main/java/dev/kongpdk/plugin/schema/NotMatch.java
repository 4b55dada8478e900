package dev.kongpdk.plugin.schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Kong attribute {@code not_match}: the string must not contain a match of a Lua pattern (see {@link
 * Match}). Allowed on {@code String}, or on a list, set or map of strings (each element; map: each
 * value).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface NotMatch {

  /** The Lua pattern, for example {@code "%s"}. */
  String value();
}
