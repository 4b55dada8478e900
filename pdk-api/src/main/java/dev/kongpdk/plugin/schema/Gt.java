package dev.kongpdk.plugin.schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Kong attribute {@code gt}: the number must be greater than {@link #value()}. Allowed on integer and
 * number components, or on a list, set or map of them (each element; map: each value).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Gt {

  /** The exclusive lower bound. */
  double value();
}
