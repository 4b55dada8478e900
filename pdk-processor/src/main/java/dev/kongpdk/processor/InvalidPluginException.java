package dev.kongpdk.processor;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/** A compile error in a plugin or its config record, with the element (and annotation) it is on. */
final class InvalidPluginException extends Exception {

  private final transient Element element;
  private final transient AnnotationMirror annotation;
  private final transient AnnotationValue value;

  InvalidPluginException(String message, Element element) {
    this(message, element, null, null);
  }

  InvalidPluginException(
      String message, Element element, AnnotationMirror annotation, AnnotationValue value) {
    super(message);
    this.element = element;
    this.annotation = annotation;
    this.value = value;
  }

  Element element() {
    return element;
  }

  AnnotationMirror annotation() {
    return annotation;
  }

  AnnotationValue value() {
    return value;
  }
}
