package dev.kongpdk.plugin.schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Kong attribute {@code uuid}: the string must be a UUID ({@code 8-4-4-4-12} hex digits, any case).
 * Allowed on {@code String}, or on a list, set or map of strings (each element; map: each value).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Uuid {
}
