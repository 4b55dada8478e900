package dev.kongpdk.plugin.schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Kong attribute {@code one_of}: the value must be one of the given values. Allowed on {@code
 * String}, integer and number components (each value is parsed as the component type), or on a
 * list, set or map of them, where it applies to each element (map: each value). Enum components get
 * {@code one_of} from their constants and do not need it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface OneOf {

  /** The accepted values, written as the field type reads them: {@code {"GET", "POST"}}, {@code {"1", "2"}}. */
  String[] value();
}
