package dev.kongpdk.plugin.schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Kong attribute {@code encrypted}: Kong stores the value encrypted at rest when keyring encryption
 * is enabled (Kong Enterprise; open-source Kong accepts and ignores it). Allowed on {@code String}
 * and on lists and sets of strings; applies to the component itself.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Encrypted {
}
