package dev.kongpdk.plugin.schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Kong attribute {@code referenceable}: the string may be a vault reference such as {@code
 * {vault://env/my-secret}}, which Kong resolves before the plugin sees the config; a reference skips
 * the other validators. Allowed on {@code String}, or on a list, set or map of strings (each
 * element; map: each value). Needs Kong 2.8 or later.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Referenceable {
}
