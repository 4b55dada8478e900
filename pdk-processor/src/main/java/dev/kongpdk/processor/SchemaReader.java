package dev.kongpdk.processor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * Turns a config record into Kong schema fields (see {@code docs/schema.md} for the mapping).
 * Problems are collected, each on the record component it concerns, so one compilation reports all
 * of them.
 */
final class SchemaReader {

  private static final String JSON_PROPERTY = "com.fasterxml.jackson.annotation.JsonProperty";
  private static final String JSON_DESCRIPTION =
      "com.fasterxml.jackson.annotation.JsonPropertyDescription";

  /** The order attributes are written in, whatever order they were found in. */
  private static final List<String> ATTRIBUTE_ORDER =
      List.of(
          "type", "required", "default", "description", "one_of", "between", "gt", "len_eq",
          "len_min", "len_max", "starts_with", "match", "not_match", "match_any", "is_regex", "uuid",
          "referenceable", "encrypted", "elements", "keys", "values", "fields");


  private final Annotations annotations;
  private final Validators validators;
  private final List<InvalidPluginException> errors = new ArrayList<>();

  private final boolean descriptions;

  /**
   * Creates a reader.
   *
   * @param annotations reads annotations by name
   * @param descriptions whether to write {@code description} attributes
   */
  SchemaReader(Annotations annotations, boolean descriptions) {
    this.annotations = annotations;
    this.validators = new Validators(annotations);
    this.descriptions = descriptions;
  }

  /** Returns the problems found so far. */
  List<InvalidPluginException> errors() {
    return errors;
  }

  /**
   * Keys Kong's plugins iterator adds to every plugin config it sends; a config field of the same
   * name would be overwritten by Kong.
   */
  static final Set<String> INJECTED_KEYS =
      Set.of(
          "__seq__", "__key__", "__plugin_id", "__ws_id", "route_id", "service_id", "consumer_id",
          "plugin_instance_name", "$refs");

  /** Returns {@code {type = "record", fields = [...]}} for the config record {@code record}. */
  Map<String, Object> record(TypeElement record) {
    return recordField(record, new LinkedHashSet<>(), INJECTED_KEYS);
  }

  private Map<String, Object> recordField(
      TypeElement record, Set<TypeElement> visiting, Set<String> reserved) {
    visiting.add(record);
    List<Object> fields = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (RecordComponentElement component : record.getRecordComponents()) {
      try {
        Map.Entry<String, Map<String, Object>> field = component(record, component, visiting);
        if (reserved.contains(field.getKey())) {
          throw new InvalidPluginException(
              "'" + field.getKey() + "' is a key Kong adds to every plugin config: choose another"
                  + " name (the value is available as instance information)",
              component);
        }
        if (!names.add(field.getKey())) {
          throw new InvalidPluginException(
              "two components of " + record.getSimpleName() + " have the Kong name '"
                  + field.getKey() + "'",
              component);
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put(field.getKey(), field.getValue());
        fields.add(entry);
      } catch (InvalidPluginException e) {
        errors.add(e);
      }
    }
    visiting.remove(record);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("type", "record");
    result.put("fields", fields);
    return result;
  }

  private Map.Entry<String, Map<String, Object>> component(
      TypeElement record, RecordComponentElement component, Set<TypeElement> visiting)
      throws InvalidPluginException {
    List<Element> places = placesOf(record, component);
    Optional<Annotations.Found> property = annotations.find(JSON_PROPERTY, places);
    String name = property.map(p -> p.string("value")).filter(v -> !v.isEmpty())
        .orElse(component.getSimpleName().toString());

    TypeMirror type = component.asType();
    boolean optional = isDeclared(type, "java.util.Optional");
    if (optional) {
      List<? extends TypeMirror> arguments = ((DeclaredType) type).getTypeArguments();
      if (arguments.isEmpty()) {
        throw new InvalidPluginException("raw Optional: say what it holds, e.g. Optional<String>", component);
      }
      type = arguments.get(0);
    }
    Map<String, Object> field = typeOf(type, component, visiting);

    boolean required = property.map(p -> p.bool("required") || "TRUE".equals(p.values().get("isRequired")))
        .orElse(false);
    if (optional && required) {
      throw new InvalidPluginException(
          "'" + name + "' is Optional and required at once: drop one of them", component);
    }
    validators.apply(field, component, places);

    String defaultText = property.map(p -> p.string("defaultValue")).orElse("");
    if (!defaultText.isEmpty()) {
      Annotations.Found p = property.get();
      try {
        field.put("default", Defaults.parse(defaultText, field, type));
      } catch (IllegalArgumentException e) {
        throw at(component, p, "default of '" + name + "' " + e.getMessage(), "defaultValue");
      }
    }
    if (required || (type.getKind().isPrimitive() && defaultText.isEmpty())) {
      field.put("required", true);
    }
    Optional<Annotations.Found> description = annotations.find(JSON_DESCRIPTION, places);
    if (description.isPresent() && descriptions) {
      String text = description.get().string("value");
      int length = text.getBytes(StandardCharsets.UTF_8).length;
      if (length < 10 || length > 500) {
        throw at(component, description.get(),
            "description of '" + name + "' must be 10 to 500 bytes long, as Kong's metaschema"
                + " requires (it is " + length + ")", null);
      }
      field.put("description", text);
    }
    return Map.entry(name, ordered(field));
  }

  /**
   * An error on a component, pointing at the annotation when javac kept it on the component itself
   * (annotations moved to the implicit field, accessor or parameter have no source position).
   */
  private static InvalidPluginException at(
      Element component, Annotations.Found found, String message, String valueName) {
    if (found.on() == component) {
      return new InvalidPluginException(
          message, component, found.mirror(), valueName == null ? null : found.value(valueName));
    }
    return new InvalidPluginException(message, component);
  }

  /**
   * Where annotations of a record component can end up: Jackson's annotations do not target record
   * components, so javac moves them to the field, the accessor or the constructor parameter.
   */
  private static List<Element> placesOf(TypeElement record, RecordComponentElement component) {
    List<Element> places = new ArrayList<>();
    places.add(component);
    if (component.getAccessor() != null) {
      places.add(component.getAccessor());
    }
    for (Element member : record.getEnclosedElements()) {
      if (member.getKind() == ElementKind.FIELD
          && member.getSimpleName().contentEquals(component.getSimpleName())) {
        places.add(member);
      }
    }
    for (ExecutableElement constructor : ElementFilter.constructorsIn(record.getEnclosedElements())) {
      List<? extends Element> parameters = constructor.getParameters();
      if (parameters.size() == record.getRecordComponents().size()) {
        int index = record.getRecordComponents().indexOf(component);
        if (parameters.get(index).getSimpleName().contentEquals(component.getSimpleName())) {
          places.add(parameters.get(index));
        }
      }
    }
    return places;
  }

  private Map<String, Object> typeOf(TypeMirror type, Element at, Set<TypeElement> visiting)
      throws InvalidPluginException {
    Map<String, Object> field = new LinkedHashMap<>();
    switch (type.getKind()) {
      case BOOLEAN -> field.put("type", "boolean");
      case INT, LONG, SHORT, BYTE -> field.put("type", "integer");
      case DOUBLE, FLOAT -> field.put("type", "number");
      case ARRAY -> {
        TypeMirror component = ((ArrayType) type).getComponentType();
        if (component.getKind() == TypeKind.BYTE || component.getKind() == TypeKind.CHAR) {
          throw unsupported(type, at);
        }
        field.put("type", "array");
        field.put("elements", ordered(typeOf(component, at, visiting)));
      }
      case DECLARED -> declared((DeclaredType) type, at, visiting, field);
      default -> throw unsupported(type, at);
    }
    return field;
  }

  private void declared(
      DeclaredType type, Element at, Set<TypeElement> visiting, Map<String, Object> field)
      throws InvalidPluginException {
    TypeElement element = (TypeElement) type.asElement();
    String name = element.getQualifiedName().toString();
    switch (name) {
      case "java.lang.String" -> field.put("type", "string");
      case "java.lang.Integer", "java.lang.Long", "java.lang.Short", "java.lang.Byte" ->
          field.put("type", "integer");
      case "java.lang.Double", "java.lang.Float", "java.math.BigDecimal" ->
          field.put("type", "number");
      case "java.lang.Boolean" -> field.put("type", "boolean");
      case "java.util.List", "java.util.Set" -> {
        field.put("type", name.equals("java.util.List") ? "array" : "set");
        field.put("elements", ordered(typeOf(argument(type, 0, at), at, visiting)));
      }
      case "java.util.Map" -> {
        if (!isDeclared(argument(type, 0, at), "java.lang.String")) {
          throw new InvalidPluginException(
              "unsupported type " + type + ": Kong map keys are strings, use Map<String, V>", at);
        }
        field.put("type", "map");
        field.put("keys", new LinkedHashMap<>(Map.of("type", "string")));
        field.put("values", ordered(typeOf(argument(type, 1, at), at, visiting)));
      }
      case "java.util.Optional" ->
          throw new InvalidPluginException(
              "unsupported type " + type + ": Optional is allowed only as the outer type of a"
                  + " component",
              at);
      default -> {
        if (element.getKind() == ElementKind.ENUM) {
          field.put("type", "string");
          field.put("one_of", enumValues(element));
        } else if (element.getKind() == ElementKind.RECORD) {
          if (visiting.contains(element)) {
            throw new InvalidPluginException(
                "record " + element.getSimpleName() + " contains itself: Kong schemas cannot be"
                    + " recursive",
                at);
          }
          Map<String, Object> record = recordField(element, visiting, Set.of());
          field.putAll(record);
        } else {
          throw unsupported(type, at);
        }
      }
    }
  }

  private List<Object> enumValues(TypeElement enumType) {
    List<Object> values = new ArrayList<>();
    for (Element constant : enumType.getEnclosedElements()) {
      if (constant.getKind() == ElementKind.ENUM_CONSTANT) {
        String value = annotations.find(JSON_PROPERTY, List.of(constant))
            .map(p -> p.string("value")).filter(v -> !v.isEmpty())
            .orElse(constant.getSimpleName().toString());
        values.add(value);
      }
    }
    return values;
  }

  private static TypeMirror argument(DeclaredType type, int index, Element at)
      throws InvalidPluginException {
    List<? extends TypeMirror> arguments = type.getTypeArguments();
    if (arguments.size() <= index) {
      throw new InvalidPluginException(
          "unsupported type " + type + ": a raw type, give its type arguments", at);
    }
    TypeMirror argument = arguments.get(index);
    if (argument.getKind() == TypeKind.WILDCARD || argument.getKind() == TypeKind.TYPEVAR) {
      throw new InvalidPluginException(
          "unsupported type " + type + ": use a concrete type argument", at);
    }
    return argument;
  }

  private static InvalidPluginException unsupported(TypeMirror type, Element at) {
    return new InvalidPluginException(
        "unsupported config type " + type + ": use String, boolean, int, long, double, BigDecimal,"
            + " an enum, a record, List, Set, Map<String, V>, an array or Optional of these",
        at);
  }

  private static boolean isDeclared(TypeMirror type, String qualifiedName) {
    return type.getKind() == TypeKind.DECLARED
        && ((TypeElement) ((DeclaredType) type).asElement())
            .getQualifiedName().contentEquals(qualifiedName);
  }


  /** Returns {@code field} with its attributes in the fixed order Kong schemas are written in. */
  static Map<String, Object> ordered(Map<String, Object> field) {
    Map<String, Object> result = new LinkedHashMap<>();
    for (String attribute : ATTRIBUTE_ORDER) {
      if (field.containsKey(attribute)) {
        result.put(attribute, field.get(attribute));
      }
    }
    for (Map.Entry<String, Object> entry : field.entrySet()) {
      result.putIfAbsent(entry.getKey(), entry.getValue());
    }
    return result;
  }
}
