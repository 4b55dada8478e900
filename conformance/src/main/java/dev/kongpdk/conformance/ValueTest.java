package dev.kongpdk.conformance;

/**
 * An expected Java value that is judged by a test rather than by equality, for values that vary
 * from request to request (timestamps, ids, serialized logs).
 */
@FunctionalInterface
public interface ValueTest {
  /**
   * Judges the Java value.
   *
   * @param javaValue the method's result in canonical form
   * @return {@code null} when it is right, otherwise what is wrong
   */
  String problem(Object javaValue);
}
