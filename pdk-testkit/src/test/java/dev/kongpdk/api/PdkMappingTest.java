package dev.kongpdk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.Kong;
import dev.kongpdk.LuaFunction;
import dev.kongpdk.plugin.Phase;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the typed PDK, its tests, its Javadoc and {@code docs/pdk-mapping.md} in step: every module
 * method names its Lua function, every Lua function is exercised by a MockBridge test, every
 * Javadoc starts with that function and states the annotated phases, and the mapping table in the
 * docs is exactly the one generated from the annotations. Run with {@code
 * -Dpdk.mapping.write=true} to rewrite the generated part of the doc.
 */
class PdkMappingTest {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path DOC = ROOT.resolve("docs/pdk-mapping.md");
  private static final Path API_SOURCES = ROOT.resolve("pdk-api/src/main/java/dev/kongpdk");
  private static final Path TESTS = ROOT.resolve("pdk-testkit/src/test/java/dev/kongpdk/api");
  private static final String BEGIN = "<!-- BEGIN GENERATED: PdkMappingTest -->";
  private static final String END = "<!-- END GENERATED -->";

  /** One typed method: how to reach it from {@code kong} and its annotation. */
  private record Entry(String javaPath, Method method, LuaFunction lua) {}

  private static List<Entry> entries() {
    List<Entry> entries = new ArrayList<>();
    collect("kong", Kong.class, entries);
    entries.sort(Comparator.comparing((Entry e) -> e.lua().value()).thenComparing(e -> signature(e)));
    return entries;
  }

  private static void collect(String path, Class<?> module, List<Entry> entries) {
    Method[] methods = module.getDeclaredMethods();
    Arrays.sort(methods, Comparator.comparing(Method::toGenericString));
    for (Method method : methods) {
      if (method.isSynthetic() || Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      if (isModule(method.getReturnType())) {
        collect(path + "." + method.getName() + "()", method.getReturnType(), entries);
      } else if (!(module == Kong.class && method.getName().equals("call"))) {
        entries.add(new Entry(path, method, method.getAnnotation(LuaFunction.class)));
      }
    }
  }

  private static boolean isModule(Class<?> type) {
    return type.isInterface() && type.getPackageName().equals("dev.kongpdk");
  }

  private static String simple(String typeName) {
    return typeName.replaceAll("([a-z0-9]+\\.)+([A-Z])", "$2").replace('$', '.');
  }

  private static String signature(Entry e) {
    String params = Arrays.stream(e.method().getGenericParameterTypes())
        .map(t -> simple(t.getTypeName()))
        .collect(Collectors.joining(", "));
    if (e.method().isVarArgs()) {
      params = params.substring(0, params.length() - 2) + "...";
    }
    return e.javaPath() + "." + e.method().getName() + "(" + params + ")";
  }

  private static String phases(LuaFunction lua) {
    return lua.phases().length == 0 ? "any"
        : Arrays.stream(lua.phases()).map(Phase::luaName).collect(Collectors.joining(", "));
  }

  private static String kong28(LuaFunction lua) {
    if (!lua.since().isEmpty()) {
      return "no (Kong " + lua.since() + ")";
    }
    return lua.kong2Phases().length == 0 ? "yes"
        : "only " + Arrays.stream(lua.kong2Phases()).map(Phase::luaName).collect(Collectors.joining(", "));
  }

  static String generatedTable() {
    StringBuilder table = new StringBuilder();
    java.util.Set<String> protobuf = dev.kongpdk.testkit.gateway.pb.ProtobufReach.luaNames();
    table.append("| Lua function | Java method | Returns | Phases | Kong 2.8 | ProtoBuf |\n");
    table.append("|---|---|---|---|---|---|\n");
    for (Entry e : entries()) {
      table.append("| `").append(e.lua().value()).append("` | `").append(signature(e)).append("` | `")
          .append(simple(e.method().getGenericReturnType().getTypeName())).append("` | ")
          .append(phases(e.lua())).append(" | ").append(kong28(e.lua())).append(" | ")
          .append(protobuf.contains(e.lua().value()) ? "yes" : "no").append(" |\n");
    }
    return table.toString();
  }

  @Test
  void everyModuleMethodNamesItsLuaFunction() {
    List<String> missing = entries().stream().filter(e -> e.lua() == null).map(PdkMappingTest::signature).toList();
    assertEquals(List.of(), missing, "module methods without @LuaFunction");
    for (Entry e : entries()) {
      String expectedPrefix = e.javaPath().replace("()", "") + ".";
      assertTrue(e.lua().value().startsWith(expectedPrefix),
          signature(e) + " is annotated with " + e.lua().value() + ", outside its module " + expectedPrefix);
    }
  }

  @Test
  void everyLuaFunctionIsExercisedByAMockBridgeTest() throws IOException {
    Set<String> inTests = new TreeSet<>();
    Pattern literal = Pattern.compile("\"(kong\\.[a-z_.0-9]+)\"");
    try (Stream<Path> files = Files.list(TESTS)) {
      for (Path file : files.filter(f -> !f.endsWith("PdkMappingTest.java")).toList()) {
        Matcher m = literal.matcher(Files.readString(file));
        while (m.find()) {
          inTests.add(m.group(1));
        }
      }
    }
    Set<String> untested = entries().stream().map(e -> e.lua().value())
        .filter(name -> !inTests.contains(name)).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of(), untested, "Lua functions no test in " + TESTS + " expects");
  }

  @Test
  void everyJavadocStartsWithItsLuaFunctionAndStatesItsPhases() throws IOException {
    Pattern documented = Pattern.compile(
        "/\\*\\*\\s*\\n\\s*\\*\\s*(.*?)\\*/\\s*@LuaFunction\\((?:value = )?\"([^\"]+)\"", Pattern.DOTALL);
    int checked = 0;
    List<String> problems = new ArrayList<>();
    try (Stream<Path> files = Files.list(API_SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = documented.matcher(Files.readString(file));
        while (m.find()) {
          String javadoc = m.group(1);
          String lua = m.group(2);
          // the last Javadoc before the annotation
          int last = javadoc.lastIndexOf("/**");
          if (last >= 0) {
            javadoc = javadoc.substring(javadoc.indexOf('*', last + 3) + 1).strip();
          }
          checked++;
          if (!javadoc.startsWith("{@code " + lua + "(") && !javadoc.startsWith("* {@code " + lua + "(")) {
            problems.add(file.getFileName() + ": Javadoc of " + lua + " starts with: "
                + javadoc.substring(0, Math.min(60, javadoc.length())));
          }
          String text = javadoc.replaceAll("\\s*\\n\\s*\\*\\s*", " ");
          int at = text.indexOf("Phases: ");
          LuaFunction annotation = annotationOf(lua);
          String listed = annotation.phases().length == 0 ? "any"
              : Arrays.stream(annotation.phases()).map(Phase::luaName).collect(Collectors.joining(", "));
          if (at < 0) {
            problems.add(file.getFileName() + ": Javadoc of " + lua + " does not state its phases");
          } else if (!text.startsWith(listed, at + "Phases: ".length())) {
            problems.add(file.getFileName() + ": Javadoc of " + lua + " states phases '"
                + text.substring(at, Math.min(text.length(), at + 70)) + "' but is annotated with " + listed);
          }
        }
      }
    }
    assertEquals(List.of(), problems);
    assertEquals(entries().size(), checked, "every annotated method was found in the sources");
  }

  /** The annotation of a Lua function; every typed overload of it must say the same phases. */
  private static LuaFunction annotationOf(String lua) {
    List<LuaFunction> annotations = entries().stream().map(Entry::lua)
        .filter(a -> a != null && a.value().equals(lua)).toList();
    assertTrue(!annotations.isEmpty(), "no typed method is annotated with " + lua);
    for (LuaFunction other : annotations) {
      assertTrue(Arrays.equals(other.phases(), annotations.get(0).phases())
          && other.since().equals(annotations.get(0).since())
          && Arrays.equals(other.kong2Phases(), annotations.get(0).kong2Phases())
          && other.savedForLog() == annotations.get(0).savedForLog(),
          "overloads of " + lua + " disagree on phases, since or savedForLog");
    }
    return annotations.get(0);
  }

  @Test
  void mappingDocListsExactlyTheAnnotatedMethods() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    assertTrue(begin >= 0 && end > begin, DOC + " must contain " + BEGIN + " ... " + END);
    String expected = "\n" + generatedTable();
    String actual = doc.substring(begin + BEGIN.length(), end);
    if (!expected.equals(actual) && Boolean.getBoolean("pdk.mapping.write")) {
      Files.writeString(DOC, doc.substring(0, begin + BEGIN.length()) + expected + doc.substring(end));
      return;
    }
    assertEquals(expected, actual,
        DOC + " is out of date: rerun this test with -Dpdk.mapping.write=true to regenerate it");
  }
}
