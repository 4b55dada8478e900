package dev.kongpdk.plugin.schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Kong attribute {@code between}: the number must lie in {@code [min, max]}, both ends included.
 * Allowed on integer and number components, or on a list, set or map of them (each element; map:
 * each value). Kong 2.8's metaschema accepts whole bounds only; on an integer component the bounds
 * must be whole numbers.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Between {

  /** The smallest accepted value. */
  double min();

  /** The largest accepted value. */
  double max();
}
