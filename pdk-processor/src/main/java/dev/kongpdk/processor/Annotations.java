package dev.kongpdk.processor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.Elements;

/**
 * Reads annotations through {@code javax.lang.model} by their names, so the processor needs no
 * annotation classes (Jackson's or ours) at its own run time.
 */
final class Annotations {

  private final Elements elements;

  Annotations(Elements elements) {
    this.elements = elements;
  }

  /** One annotation found on an element: the mirror and its values with defaults. */
  record Found(Element on, AnnotationMirror mirror, Map<String, Object> values) {

    String string(String name) {
      return (String) values.get(name);
    }

    boolean bool(String name) {
      return Boolean.TRUE.equals(values.get(name));
    }

    int integer(String name) {
      return ((Number) values.get(name)).intValue();
    }

    double decimal(String name) {
      return ((Number) values.get(name)).doubleValue();
    }

    @SuppressWarnings("unchecked")
    List<String> strings(String name) {
      return (List<String>) values.get(name);
    }

    /** The annotation value named {@code name}, to point an error at it. */
    AnnotationValue value(String name) {
      for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry :
          mirror.getElementValues().entrySet()) {
        if (entry.getKey().getSimpleName().contentEquals(name)) {
          return entry.getValue();
        }
      }
      return null;
    }
  }

  /** Returns the first annotation named {@code qualifiedName} on any of {@code places}. */
  Optional<Found> find(String qualifiedName, List<? extends Element> places) {
    for (Element place : places) {
      for (AnnotationMirror mirror : place.getAnnotationMirrors()) {
        TypeElement type = (TypeElement) mirror.getAnnotationType().asElement();
        if (type.getQualifiedName().contentEquals(qualifiedName)) {
          return Optional.of(new Found(place, mirror, values(mirror)));
        }
      }
    }
    return Optional.empty();
  }

  private Map<String, Object> values(AnnotationMirror mirror) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry :
        elements.getElementValuesWithDefaults(mirror).entrySet()) {
      values.put(entry.getKey().getSimpleName().toString(), plain(entry.getValue().getValue()));
    }
    return values;
  }

  private static Object plain(Object value) {
    if (value instanceof List<?> list) {
      List<Object> result = new ArrayList<>();
      for (Object element : list) {
        result.add(plain(((AnnotationValue) element).getValue()));
      }
      return result;
    }
    if (value instanceof VariableElement constant) {
      return constant.getSimpleName().toString();
    }
    return value;
  }
}
