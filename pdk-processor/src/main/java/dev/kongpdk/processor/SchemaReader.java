package dev.kongpdk.processor;

import dev.kongpdk.plugin.schema.LuaPattern;
import java.math.BigDecimal;
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
  private static final String VALIDATORS = "dev.kongpdk.plugin.schema.";

  /** The order attributes are written in, whatever order they were found in. */
  private static final List<String> ATTRIBUTE_ORDER =
      List.of(
          "type", "required", "default", "description", "one_of", "between", "gt", "len_eq",
          "len_min", "len_max", "starts_with", "match", "not_match", "match_any", "is_regex", "uuid",
          "referenceable", "encrypted", "elements", "keys", "values", "fields");

  private static final Set<String> NUMERIC = Set.of("integer", "number");
  private static final Set<String> SIZED = Set.of("string", "array", "set", "map");

  private final Annotations annotations;
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
    applyValidators(field, component, places);

    String defaultText = property.map(p -> p.string("defaultValue")).orElse("");
    if (!defaultText.isEmpty()) {
      Annotations.Found p = property.get();
      try {
        Object parsed = defaultValue(defaultText, field);
        checkJavaRange(parsed, type);
        field.put("default", parsed);
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

  // ---- validators -------------------------------------------------------------------------

  private void applyValidators(Map<String, Object> field, Element component, List<Element> places)
      throws InvalidPluginException {
    Optional<Annotations.Found> length = annotations.find(VALIDATORS + "Length", places);
    if (length.isPresent()) {
      length(field, length.get());
    }
    Optional<Annotations.Found> encrypted = annotations.find(VALIDATORS + "Encrypted", places);
    if (encrypted.isPresent()) {
      Object type = field.get("type");
      boolean strings = "string".equals(type)
          || (("array".equals(type) || "set".equals(type)) && "string".equals(elementType(field)));
      if (!strings) {
        throw misplaced(encrypted.get(), "a String or a list or set of strings");
      }
      field.put("encrypted", true);
    }
    Map<String, Object> target = elementTarget(field);
    String type = (String) target.get("type");
    for (String simple : List.of("OneOf", "Between", "Gt", "StartsWith", "Match", "NotMatch",
        "MatchAny", "IsRegex", "Uuid", "Referenceable")) {
      Optional<Annotations.Found> found = annotations.find(VALIDATORS + simple, places);
      if (found.isEmpty()) {
        continue;
      }
      Annotations.Found v = found.get();
      switch (simple) {
        case "OneOf" -> {
          if (!NUMERIC.contains(type) && !"string".equals(type)) {
            throw misplaced(v, "a String, integer or number (or a collection of them)");
          }
          if (target.containsKey("one_of")) {
            throw new InvalidPluginException(
                "@OneOf on an enum: its constants already are the accepted values", component,
                v.mirror(), null);
          }
          List<Object> values = new ArrayList<>();
          for (String text : v.strings("value")) {
            try {
              values.add(scalar(text, type));
            } catch (IllegalArgumentException e) {
              throw new InvalidPluginException(
                  "@OneOf value '" + text + "' " + e.getMessage(), v.on(), v.mirror(), v.value("value"));
            }
          }
          target.put("one_of", values);
        }
        case "Between" -> {
          requireNumeric(v, type);
          double min = v.decimal("min");
          double max = v.decimal("max");
          if (min > max) {
            throw new InvalidPluginException(
                "@Between min " + min + " is greater than max " + max, v.on(), v.mirror(), null);
          }
          target.put("between", List.of(bound(v, "min", type), bound(v, "max", type)));
        }
        case "Gt" -> {
          requireNumeric(v, type);
          target.put("gt", number(v.decimal("value")));
        }
        case "StartsWith" -> {
          requireString(v, type);
          target.put("starts_with", v.string("value"));
        }
        case "Match", "NotMatch" -> {
          requireString(v, type);
          target.put(simple.equals("Match") ? "match" : "not_match", pattern(v, v.string("value")));
        }
        case "MatchAny" -> {
          requireString(v, type);
          List<Object> patterns = new ArrayList<>();
          for (String pattern : v.strings("patterns")) {
            patterns.add(pattern(v, pattern));
          }
          if (patterns.isEmpty()) {
            throw new InvalidPluginException(
                "@MatchAny needs at least one pattern", v.on(), v.mirror(), null);
          }
          Map<String, Object> matchAny = new LinkedHashMap<>();
          matchAny.put("patterns", patterns);
          if (!v.string("err").isEmpty()) {
            matchAny.put("err", v.string("err"));
          }
          target.put("match_any", matchAny);
        }
        case "IsRegex" -> {
          requireString(v, type);
          target.put("is_regex", true);
        }
        case "Uuid" -> {
          requireString(v, type);
          target.put("uuid", true);
        }
        case "Referenceable" -> {
          requireString(v, type);
          target.put("referenceable", true);
        }
        default -> throw new IllegalStateException(simple);
      }
    }
    if (target != field) {
      Map<String, Object> reordered = ordered(target);
      target.clear();
      target.putAll(reordered);
    }
  }

  private void length(Map<String, Object> field, Annotations.Found v)
      throws InvalidPluginException {
    if (!SIZED.contains(field.get("type"))) {
      throw misplaced(v, "a String, list, set, array or map");
    }
    int eq = v.integer("eq");
    int min = v.integer("min");
    int max = v.integer("max");
    if (eq < -1 || min < -1 || max < -1) {
      throw new InvalidPluginException("@Length values cannot be negative", v.on(), v.mirror(), null);
    }
    if (eq >= 0 && (min >= 0 || max >= 0)) {
      throw new InvalidPluginException(
          "@Length: give eq, or min and/or max, not both", v.on(), v.mirror(), null);
    }
    if (eq < 0 && min < 0 && max < 0) {
      throw new InvalidPluginException(
          "@Length: give eq, min or max", v.on(), v.mirror(), null);
    }
    if (min >= 0 && max >= 0 && min > max) {
      throw new InvalidPluginException(
          "@Length: min " + min + " is greater than max " + max, v.on(), v.mirror(), null);
    }
    if (eq >= 0) {
      field.put("len_eq", (long) eq);
    }
    if (min >= 0) {
      field.put("len_min", (long) min);
    }
    if (max >= 0) {
      field.put("len_max", (long) max);
    }
  }

  /** Where element validators go: the field, or the elements of a list or set, or map values. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> elementTarget(Map<String, Object> field) {
    Object type = field.get("type");
    if ("array".equals(type) || "set".equals(type)) {
      return (Map<String, Object>) field.get("elements");
    }
    if ("map".equals(type)) {
      return (Map<String, Object>) field.get("values");
    }
    return field;
  }

  @SuppressWarnings("unchecked")
  private static Object elementType(Map<String, Object> field) {
    return ((Map<String, Object>) field.get("elements")).get("type");
  }

  private static String pattern(Annotations.Found v, String pattern) throws InvalidPluginException {
    try {
      LuaPattern.compile(pattern);
      return pattern;
    } catch (IllegalArgumentException e) {
      throw new InvalidPluginException(e.getMessage(), v.on(), v.mirror(), null);
    }
  }

  private static Object bound(Annotations.Found v, String name, String type)
      throws InvalidPluginException {
    double value = v.decimal(name);
    Object bound = number(value);
    if ("integer".equals(type) && !(bound instanceof Long)) {
      throw new InvalidPluginException(
          "@Between " + name + " " + value + " on an integer must be a whole number", v.on(),
          v.mirror(), v.value(name));
    }
    return bound;
  }

  private static Object number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 9.007199254740992E15) {
      return (long) value;
    }
    return new BigDecimal(Double.toString(value));
  }

  private static void requireNumeric(Annotations.Found v, String type) throws InvalidPluginException {
    if (!NUMERIC.contains(type)) {
      throw misplaced(v, "an integer or number (or a collection of them)");
    }
  }

  private static void requireString(Annotations.Found v, String type) throws InvalidPluginException {
    if (!"string".equals(type)) {
      throw misplaced(v, "a String (or a collection of strings)");
    }
  }

  private static InvalidPluginException misplaced(Annotations.Found v, String allowed) {
    String simple = v.mirror().getAnnotationType().asElement().getSimpleName().toString();
    return new InvalidPluginException(
        "@" + simple + " is not allowed here: it applies to " + allowed, v.on(), v.mirror(), null);
  }

  // ---- defaults ---------------------------------------------------------------------------

  /** An integer default must fit the component's Java type, or every binding would fail. */
  private static void checkJavaRange(Object value, TypeMirror type) {
    if (!(value instanceof Long number)) {
      return;
    }
    String name = type.getKind().isPrimitive()
        ? type.getKind().name().toLowerCase(java.util.Locale.ROOT)
        : type.getKind() == TypeKind.DECLARED
            ? ((TypeElement) ((DeclaredType) type).asElement()).getSimpleName().toString()
            : "";
    long[] range = switch (name) {
      case "int", "Integer" -> new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
      case "short", "Short" -> new long[] {Short.MIN_VALUE, Short.MAX_VALUE};
      case "byte", "Byte" -> new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE};
      default -> null;
    };
    if (range != null && (number < range[0] || number > range[1])) {
      throw new IllegalArgumentException(number + " does not fit in " + name);
    }
  }

  /** Parses a {@code defaultValue} text for a field; messages complete "default of 'x' ...". */
  private Object defaultValue(String text, Map<String, Object> field) {
    Object type = field.get("type");
    Object value;
    if ("string".equals(type)) {
      value = text;
    } else if (NUMERIC.contains(type) || "boolean".equals(type)) {
      value = scalar(text, (String) type);
    } else {
      try {
        value = Json.parse(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("is " + e.getMessage());
      }
    }
    return conform(value, field, "");
  }

  /** Checks a default against a field and gives numbers their Kong type; {@code where} is a path. */
  @SuppressWarnings("unchecked")
  private Object conform(Object value, Map<String, Object> field, String where) {
    String type = (String) field.get("type");
    String at = where.isEmpty() ? "" : " at " + where;
    if (value == null) {
      throw new IllegalArgumentException("has null" + at + ": leave the value out instead");
    }
    Object result;
    switch (type) {
      case "string" -> {
        if (!(value instanceof String)) {
          throw new IllegalArgumentException("is not a string" + at);
        }
        result = value;
      }
      case "boolean" -> {
        if (!(value instanceof Boolean)) {
          throw new IllegalArgumentException("is not a boolean" + at);
        }
        result = value;
      }
      case "integer" -> {
        if (value instanceof Long) {
          result = value;
        } else if (value instanceof BigDecimal d) {
          try {
            result = d.longValueExact();
          } catch (ArithmeticException e) {
            throw new IllegalArgumentException("is not an integer" + at + ": " + Json.number(d));
          }
        } else {
          throw new IllegalArgumentException("is not an integer" + at);
        }
      }
      case "number" -> {
        if (!(value instanceof Long || value instanceof BigDecimal)) {
          throw new IllegalArgumentException("is not a number" + at);
        }
        result = value instanceof BigDecimal d ? normalize(d) : value;
      }
      case "array", "set" -> {
        if (!(value instanceof List<?> list)) {
          throw new IllegalArgumentException("is not a JSON array" + at);
        }
        List<Object> elements = new ArrayList<>();
        Map<String, Object> elementField = (Map<String, Object>) field.get("elements");
        for (int i = 0; i < list.size(); i++) {
          elements.add(conform(list.get(i), elementField, where + "[" + i + "]"));
        }
        result = elements;
      }
      case "map" -> {
        if (!(value instanceof Map<?, ?> map)) {
          throw new IllegalArgumentException("is not a JSON object" + at);
        }
        Map<String, Object> entries = new LinkedHashMap<>();
        Map<String, Object> valueField = (Map<String, Object>) field.get("values");
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          String key = (String) entry.getKey();
          entries.put(key, conform(entry.getValue(), valueField, where + "." + key));
        }
        result = entries;
      }
      case "record" -> {
        if (!(value instanceof Map<?, ?> map)) {
          throw new IllegalArgumentException("is not a JSON object" + at);
        }
        Map<String, Object> known = new LinkedHashMap<>();
        for (Object entry : (List<Object>) field.get("fields")) {
          known.putAll((Map<String, Object>) entry);
        }
        Map<String, Object> entries = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          String key = (String) entry.getKey();
          Map<String, Object> inner = (Map<String, Object>) known.get(key);
          if (inner == null) {
            throw new IllegalArgumentException("has the unknown field '" + key + "'" + at);
          }
          entries.put(key, conform(entry.getValue(), inner, where + "." + key));
        }
        result = entries;
      }
      default -> throw new IllegalStateException(type);
    }
    checkScalarRules(result, field, at);
    return result;
  }

  /** The validators a default can break without a Lua runtime: one_of, between, gt, lengths. */
  private static void checkScalarRules(Object value, Map<String, Object> field, String at) {
    List<?> oneOf = (List<?>) field.get("one_of");
    if (oneOf != null && oneOf.stream().noneMatch(o -> sameValue(o, value))) {
      throw new IllegalArgumentException(
          Json.write(value) + at + " is not one of " + Json.write(oneOf));
    }
    List<?> between = (List<?>) field.get("between");
    if (between != null) {
      BigDecimal v = decimal(value);
      if (v.compareTo(decimal(between.get(0))) < 0 || v.compareTo(decimal(between.get(1))) > 0) {
        throw new IllegalArgumentException(
            "is not between " + Json.write(between.get(0)) + " and " + Json.write(between.get(1)) + at);
      }
    }
    Object gt = field.get("gt");
    if (gt != null && decimal(value).compareTo(decimal(gt)) <= 0) {
      throw new IllegalArgumentException("is not greater than " + Json.write(gt) + at);
    }
    long length = switch (value) {
      case String s -> s.getBytes(StandardCharsets.UTF_8).length;
      case List<?> l -> l.size();
      case Map<?, ?> m -> "map".equals(field.get("type")) ? m.size() : -1;
      default -> -1;
    };
    if (length >= 0) {
      checkLength(field, "len_eq", length, length != longOf(field.get("len_eq"), length), at);
      checkLength(field, "len_min", length, length < longOf(field.get("len_min"), 0), at);
      checkLength(field, "len_max", length, length > longOf(field.get("len_max"), length), at);
      if (value instanceof String s && s.isEmpty() && !field.containsKey("len_min")) {
        throw new IllegalArgumentException(
            "is the empty string, which Kong rejects unless @Length(min = 0)");
      }
    }
  }

  private static void checkLength(
      Map<String, Object> field, String attribute, long length, boolean broken, String at) {
    if (field.containsKey(attribute) && broken) {
      throw new IllegalArgumentException(
          "has length " + length + at + ", against " + attribute + " " + field.get(attribute));
    }
  }

  private static long longOf(Object value, long otherwise) {
    return value == null ? otherwise : (Long) value;
  }

  private static boolean sameValue(Object a, Object b) {
    if (a instanceof String || b instanceof String) {
      return a.equals(b);
    }
    return decimal(a).compareTo(decimal(b)) == 0;
  }

  private static BigDecimal decimal(Object value) {
    return switch (value) {
      case Long l -> BigDecimal.valueOf(l);
      case BigDecimal d -> d;
      default -> new BigDecimal(0);
    };
  }

  private static Object normalize(BigDecimal value) {
    try {
      return value.longValueExact();
    } catch (ArithmeticException e) {
      return new BigDecimal(Json.number(value));
    }
  }

  /** Parses a scalar written in an annotation; messages complete "value 'x' ...". */
  private static Object scalar(String text, String type) {
    switch (type) {
      case "string" -> {
        return text;
      }
      case "integer" -> {
        try {
          return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("is not an integer: '" + text + "'");
        }
      }
      case "number" -> {
        try {
          return normalize(new BigDecimal(text.trim()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("is not a number: '" + text + "'");
        }
      }
      case "boolean" -> {
        if (text.equals("true") || text.equals("false")) {
          return Boolean.valueOf(text);
        }
        throw new IllegalArgumentException("is not a boolean: '" + text + "' (use true or false)");
      }
      default -> throw new IllegalArgumentException("cannot be parsed as " + type);
    }
  }

  private static Map<String, Object> ordered(Map<String, Object> field) {
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
