package dev.kongpdk.bridge.internal.pb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The message shapes and the {@code service Kong} rpcs of the project's {@code
 * kong_plugin_protocol.proto}, read from its text (bundled with the bridge) rather than from
 * protobuf-java's descriptors: building those descriptors (with {@code descriptor.proto}, which the
 * file imports for its {@code MethodName} option) costs a server several MiB of memory, and the
 * serving path needs only each field's name, number and type (to estimate a frame's parsed size
 * and to read and write Kong's entities as maps).
 *
 * <p>It reads the subset of the proto3 grammar the file uses: messages (nested), enums, oneofs,
 * {@code repeated} and {@code map} fields, an {@code extend} block, options, and the service's
 * rpcs with their {@code MethodName} option.
 */
final class ProtoSchema {

  /** Where the bridge bundles the file (see the pom's resources). */
  static final String RESOURCE = "/dev/kongpdk/bridge/protobuf/kong_plugin_protocol.proto";

  private static final Set<String> SCALARS = Set.of("double", "float", "int32", "int64", "uint32",
      "uint64", "sint32", "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64", "bool");

  private static final Pattern TOKEN =
      Pattern.compile("\\s+|//[^\\n]*|/\\*.*?\\*/|\"(?:[^\"\\\\]|\\\\.)*\"|[A-Za-z_][\\w.]*|\\d+|.",
          Pattern.DOTALL);

  private static final ProtoSchema KONG = read(RESOURCE);

  /** What a field holds, as far as the size of its parsed value goes. */
  enum Kind { MESSAGE, STRING, SCALAR, BYTES }

  /**
   * A field as declared.
   *
   * @param name its name, for example {@code consumer_id}
   * @param number its number on the wire
   * @param kind what it holds
   * @param protoType its type as the file names it ({@code int64}, {@code Value}, an enum's name)
   * @param repeated whether it repeats (a map field is a repeated entry message)
   * @param type the message type of a {@link Kind#MESSAGE} field, else null
   */
  record Field(String name, int number, Kind kind, String protoType, boolean repeated, Type type) {

    /** A repeated number, boolean or enum: written packed, one value per few bytes. */
    boolean packable() {
      return repeated && kind == Kind.SCALAR;
    }
  }

  /** A message type: its fields (filled in once every type of the file is known). */
  static final class Type {
    private final String name;
    private final Map<Integer, Field> fields = new LinkedHashMap<>();
    private final Map<String, Field> byName = new HashMap<>();

    private Type(String name) {
      this.name = name;
    }

    /** Returns the type's name within the file, nested names dotted ({@code Struct.Field}). */
    String name() {
      return name;
    }

    /** Returns the field with this number, or null when the type declares none. */
    Field field(int number) {
      return fields.get(number);
    }

    /** Returns the field of this name, or null when the type declares none. */
    Field field(String fieldName) {
      return byName.get(fieldName);
    }

    /** Returns every field by number, in the order the file declares them. */
    Map<Integer, Field> fields() {
      return Collections.unmodifiableMap(fields);
    }

    private void add(Field field) {
      fields.put(field.number(), field);
      byName.put(field.name(), field);
    }
  }

  /**
   * An rpc of {@code service Kong}.
   *
   * @param name the rpc, for example {@code Request_GetHeader}
   * @param input its argument type
   * @param output its result type
   * @param methodName its {@code MethodName} option, or empty
   */
  record Rpc(String name, String input, String output, String methodName) {}

  private final Map<String, Type> types;
  private final List<Rpc> rpcs;

  private ProtoSchema(Map<String, Type> types, List<Rpc> rpcs) {
    this.types = Collections.unmodifiableMap(types);
    this.rpcs = List.copyOf(rpcs);
  }

  /** Returns the schema of the bundled {@code kong_plugin_protocol.proto}. */
  static ProtoSchema kong() {
    return KONG;
  }

  /** Returns the message type of this name ({@code Struct.Field} for a nested one). */
  Type type(String name) {
    Type type = types.get(name);
    if (type == null) {
      throw new IllegalArgumentException("kong_plugin_protocol.proto has no message " + name);
    }
    return type;
  }

  /** Returns every message type by name, map entries included ({@code UriCapturesResult.NamedEntry}). */
  Map<String, Type> types() {
    return types;
  }

  /** Returns the rpcs of {@code service Kong}, in the file's order. */
  List<Rpc> rpcs() {
    return rpcs;
  }

  static ProtoSchema read(String resource) {
    try (InputStream in = ProtoSchema.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the bridge's jar lacks " + resource);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ProtoSchema parse(String text) {
    return new Parser(text).file();
  }

  /** A field as written, its type resolved once every message and enum is known. */
  private record PendingField(Type owner, String scope, String name, int number, String type,
      boolean repeated, Type mapEntry) {}

  private static final class Parser {
    private final List<String> tokens = new ArrayList<>();
    private int next;
    private String packagePrefix = "";
    private final Map<String, Type> types = new LinkedHashMap<>();
    private final Set<String> enums = new HashSet<>();
    private final List<PendingField> pending = new ArrayList<>();
    private final List<Rpc> rpcs = new ArrayList<>();

    Parser(String text) {
      Matcher m = TOKEN.matcher(text);
      while (m.find()) {
        String token = m.group();
        if (!token.isBlank() && !token.startsWith("//") && !token.startsWith("/*")) {
          tokens.add(token);
        }
      }
    }

    ProtoSchema file() {
      while (next < tokens.size()) {
        switch (take()) {
          case "message" -> message("");
          case "enum" -> enumeration("");
          case "service" -> service();
          case "package" -> packagePrefix = take() + ".";
          case "extend" -> { take(); skipBlock(); }
          case "syntax", "import", "option" -> skipStatement();
          case ";" -> { }
          default -> throw error("unexpected '" + tokens.get(next - 1) + "'");
        }
      }
      for (PendingField f : pending) {
        f.owner().add(f.mapEntry() != null
            ? new Field(f.name(), f.number(), Kind.MESSAGE, f.type(), true, f.mapEntry())
            : resolve(f));
      }
      return new ProtoSchema(types, rpcs);
    }

    private void message(String scope) {
      String name = scope + take();
      Type type = new Type(name);
      types.put(name, type);
      expect("{");
      while (!peek().equals("}")) {
        switch (peek()) {
          case "message" -> { take(); message(name + "."); }
          case "enum" -> { take(); enumeration(name + "."); }
          case "oneof" -> { take(); take(); expect("{"); fields(type, name, "}"); }
          case "option", "reserved", "extensions" -> skipStatement();
          case ";" -> take();
          default -> field(type, name);
        }
      }
      expect("}");
    }

    private void fields(Type owner, String scope, String end) {
      while (!peek().equals(end)) {
        if (peek().equals("option")) {
          skipStatement();
        } else {
          field(owner, scope);
        }
      }
      expect(end);
    }

    private void field(Type owner, String scope) {
      String type = take();
      boolean repeated = false;
      if (type.equals("repeated") || type.equals("optional")) {
        repeated = type.equals("repeated");
        type = take();
      }
      if (type.equals("map")) {
        expect("<");
        String key = take();
        expect(",");
        String value = take();
        expect(">");
        String fieldName = take();
        Type entry = new Type(scope + "." + entryName(fieldName));
        types.put(entry.name(), entry);
        pending.add(new PendingField(entry, scope, "key", 1, key, false, null));
        pending.add(new PendingField(entry, scope, "value", 2, value, false, null));
        pending.add(new PendingField(owner, scope, fieldName, number(), entry.name(), true, entry));
      } else {
        String fieldName = take();
        pending.add(new PendingField(owner, scope, fieldName, number(), type, repeated, null));
      }
      if (peek().equals("[")) {
        while (!take().equals("]")) {
          // field options: none changes a field's shape
        }
      }
      expect(";");
    }

    private int number() {
      expect("=");
      return Integer.parseInt(take());
    }

    private void enumeration(String scope) {
      enums.add(scope + take());
      skipBlock();
    }

    private void service() {
      String service = take();
      expect("{");
      while (!peek().equals("}")) {
        if (!take().equals("rpc")) {
          skipStatement();
          continue;
        }
        String name = take();
        String input = typeInParens();
        expect("returns");
        String output = typeInParens();
        String methodName = "";
        if (peek().equals("{")) {
          take();
          while (!peek().equals("}")) {
            if (take().equals("option") && peek().equals("(")) {
              take();
              String option = take();
              expect(")");
              expect("=");
              String value = take();
              if (option.equals("MethodName")) {
                methodName = value.substring(1, value.length() - 1);
              }
            }
          }
          take();
        } else {
          expect(";");
        }
        if (service.equals("Kong")) {
          rpcs.add(new Rpc(name, input, output, methodName));
        }
      }
      expect("}");
    }

    private String typeInParens() {
      expect("(");
      String type = take();
      if (type.equals("stream")) {
        type = take();
      }
      expect(")");
      return type.startsWith(packagePrefix) ? type.substring(packagePrefix.length()) : type;
    }

    private Field resolve(PendingField f) {
      String type = f.type();
      if (type.equals("string")) {
        return field(f, Kind.STRING, null);
      }
      if (type.equals("bytes")) {
        return field(f, Kind.BYTES, null);
      }
      if (SCALARS.contains(type)) {
        return field(f, Kind.SCALAR, null);
      }
      String from = f.scope();
      if (type.startsWith(".")) {
        type = type.substring(1);
      }
      if (!packagePrefix.isEmpty() && type.startsWith(packagePrefix)) {
        type = type.substring(packagePrefix.length()); // named from the package: no scope search
        from = "";
      }
      // proto's scoping: the innermost enclosing message that declares the name wins
      for (String scope = from; ; scope = outer(scope)) {
        String candidate = scope.isEmpty() ? type : scope + "." + type;
        if (types.containsKey(candidate)) {
          return field(f, Kind.MESSAGE, types.get(candidate));
        }
        if (enums.contains(candidate)) {
          return field(f, Kind.SCALAR, null);
        }
        if (scope.isEmpty()) {
          throw error("field " + f.number() + " of " + f.owner().name() + " has the unknown type "
              + f.type());
        }
      }
    }

    private static Field field(PendingField f, Kind kind, Type type) {
      return new Field(f.name(), f.number(), kind, f.type(), f.repeated(), type);
    }

    private static String outer(String scope) {
      int dot = scope.lastIndexOf('.');
      return dot < 0 ? "" : scope.substring(0, dot);
    }

    /** protobuf's name for a map field's entry type: {@code named} gives {@code NamedEntry}. */
    private static String entryName(String field) {
      StringBuilder out = new StringBuilder();
      boolean upper = true;
      for (char c : field.toCharArray()) {
        if (c == '_') {
          upper = true;
        } else {
          out.append(upper ? Character.toUpperCase(c) : c);
          upper = false;
        }
      }
      return out.append("Entry").toString();
    }

    private void skipStatement() {
      while (!take().equals(";")) {
        // everything up to the statement's end
      }
    }

    private void skipBlock() {
      expect("{");
      int depth = 1;
      while (depth > 0) {
        String token = take();
        if (token.equals("{")) {
          depth++;
        } else if (token.equals("}")) {
          depth--;
        }
      }
    }

    private String peek() {
      if (next >= tokens.size()) {
        throw error("the file ends too early");
      }
      return tokens.get(next);
    }

    private String take() {
      String token = peek();
      next++;
      return token;
    }

    private void expect(String token) {
      String found = take();
      if (!found.equals(token)) {
        throw error("expected '" + token + "', found '" + found + "'");
      }
    }

    private IllegalStateException error(String what) {
      return new IllegalStateException("kong_plugin_protocol.proto, token " + next + ": " + what);
    }
  }
}
