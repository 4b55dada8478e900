package dev.kongpdk.plugin.schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Kong attribute {@code is_regex}: the string must be a valid regular expression (Kong checks with
 * PCRE; the Java side checks with {@link java.util.regex.Pattern}, which agrees on common syntax).
 * Allowed on {@code String}, or on a list, set or map of strings (each element; map: each value).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface IsRegex {
}
