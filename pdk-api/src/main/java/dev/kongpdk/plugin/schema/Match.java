package dev.kongpdk.plugin.schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Kong attribute {@code match}: the string must contain a match of a <em>Lua pattern</em> (not a
 * Java regex: {@code %d} for a digit, {@code %.} for a dot, {@code ^}/{@code $} to anchor). Allowed
 * on {@code String}, or on a list, set or map of strings (each element; map: each value). The
 * processor rejects patterns the Java side cannot check the same way ({@link LuaPattern}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Match {

  /** The Lua pattern, for example {@code "^%w+$"}. */
  String value();
}
