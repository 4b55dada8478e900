package dev.kongpdk.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.plugin.InstanceInfo;
import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginDescriptor;
import dev.kongpdk.plugin.PluginMetrics;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class KongPluginProcessorTest {

  /** The schema of fixtures/good/Everything.java, in Kong's attribute names and shapes. */
  private static final String EVERYTHING_SCHEMA =
      """
        {"name":"everything","fields":[{"config":{"type":"record","fields":[
        {"message":{"type":"string","required":true,"description":"The greeting sent back to clients.","len_min":2,"len_max":20}},
        {"upstream_url":{"type":"string","default":"http://example.com","starts_with":"http","match":"^https?://"}},
        {"token":{"type":"string","not_match":"%s","match_any":{"patterns":["^%a+$","^%d+$"],"err":"letters or digits only"}}},
        {"pathRegex":{"type":"string","is_regex":true}},
        {"consumerId":{"type":"string","uuid":true}},
        {"apiKey":{"type":"string","referenceable":true,"encrypted":true}},
        {"method":{"type":"string","one_of":["GET","POST"]}},
        {"retries":{"type":"integer","default":3,"one_of":[1,3,5]}},
        {"big":{"type":"integer","required":true}},
        {"share":{"type":"number","default":0.25}},
        {"f":{"type":"number","required":true,"between":[-1.5,2.5]}},
        {"s":{"type":"integer","required":true}},
        {"b":{"type":"integer","required":true}},
        {"amount":{"type":"number"}},
        {"enabled":{"type":"boolean","default":true}},
        {"flag":{"type":"boolean"}},
        {"tags":{"type":"array","default":["a","b"],"len_max":5,"elements":{"type":"string"}}},
        {"ids":{"type":"set","len_eq":2,"elements":{"type":"string","uuid":true}}},
        {"weights":{"type":"map","keys":{"type":"string"},"values":{"type":"integer","gt":0}}},
        {"ports":{"type":"array","elements":{"type":"integer"}}},
        {"mode":{"type":"string","default":"FAST","one_of":["FAST","slow-mode"]}},
        {"limits":{"type":"record","fields":[{"max":{"type":"integer","default":10,"between":[1,100]}},{"ratio":{"type":"number","required":true,"gt":0.5}}]}},
        {"tiers":{"type":"array","elements":{"type":"record","fields":[{"max":{"type":"integer","default":10,"between":[1,100]}},{"ratio":{"type":"number","required":true,"gt":0.5}}]}}},
        {"fallback":{"type":"record","default":{"ratio":1.5},"fields":[{"max":{"type":"integer","default":10,"between":[1,100]}},{"ratio":{"type":"number","required":true,"gt":0.5}}]}}
        ]}}]}
      """
          .replace("\n", "")
          .replace(" ", "")
          .replace("Thegreetingsentbacktoclients.", "The greeting sent back to clients.")
          .replace("lettersordigitsonly", "letters or digits only");

  @TempDir Path dir;

  @Test
  void everySupportedTypeAndValidator_becomesKongSchemaAttributes() throws Exception {
    TestCompiler.Result result = TestCompiler.compile(dir, "good.Everything");

    assertTrue(result.success(), () -> result.diagnostics().toString());
    assertEquals(List.of(), result.errors());
    assertEquals(List.of(), result.warnings(), "the generated descriptor compiles without lint warnings");
    assertEquals(EVERYTHING_SCHEMA + "\n", result.file("META-INF/kong/everything/schema.json"));
  }

  @Test
  void descriptionsOption_leavesDescriptionsOutForKong28() throws Exception {
    TestCompiler.Result result =
        TestCompiler.compile(dir, List.of("-Akongpdk.descriptions=false"), "good.Everything");

    assertTrue(result.success(), () -> result.diagnostics().toString());
    assertEquals(
        EVERYTHING_SCHEMA.replace("\"description\":\"The greeting sent back to clients.\",", "") + "\n",
        result.file("META-INF/kong/everything/schema.json"));
  }

  @Test
  void pluginWithoutConfig_getsAnEmptyConfigRecord_andItsLuaSchema() throws Exception {
    TestCompiler.Result result = TestCompiler.compile(dir, "good.Plain");

    assertTrue(result.success(), () -> result.diagnostics().toString());
    assertEquals(
        "{\"name\":\"plain_1\",\"fields\":[{\"config\":{\"type\":\"record\",\"fields\":[]}}]}\n",
        result.file("META-INF/kong/plain_1/schema.json"));
    assertEquals(
        """
        -- Kong schema of a Java plugin, generated by the Kong Java PDK from fixtures.good.Plain.Inner.
        -- Do not edit: change the config record and rebuild.
        return {
          name = "plain_1",
          fields = {
            {
              config = {
                type = "record",
                fields = {},
              },
            },
          },
        }
        """,
        result.file("META-INF/kong/plain_1/schema.lua"));
  }

  @Test
  void luaSchema_carriesTheSameAttributesAsLuaTables() throws Exception {
    TestCompiler.Result result = TestCompiler.compile(dir, "good.Everything");

    String lua = result.file("META-INF/kong/everything/schema.lua");
    assertTrue(lua.contains("\nreturn {\n  name = \"everything\",\n  fields = {\n"), lua);
    assertTrue(lua.contains(
        """
                      match_any = {
                        patterns = { "^%a+$", "^%d+$" },
                        err = "letters or digits only",
                      },
        """), lua);
    assertTrue(lua.contains("between = { -1.5, 2.5 },"), lua);
    assertTrue(lua.contains("default = { \"a\", \"b\" },"), lua);
    assertTrue(lua.contains("one_of = { \"FAST\", \"slow-mode\" },"), lua);
    assertTrue(lua.contains(
        """
                    fallback = {
                      type = "record",
                      default = {
                        ratio = 1.5,
                      },
        """), lua);
    assertFalse(lua.matches("(?s).*\\brequire\\s*[(\"'].*"), "the module needs no imports");
  }

  @Test
  void servicesFile_listsEveryDescriptorOfTheCompilation() throws Exception {
    TestCompiler.Result result = TestCompiler.compile(dir, "good.Plain", "good.Everything");

    assertTrue(result.success(), () -> result.diagnostics().toString());
    assertEquals(
        "fixtures.good.Everything_KongPluginDescriptor\n"
            + "fixtures.good.Plain_Inner_KongPluginDescriptor\n",
        result.file(KongPluginProcessor.SERVICES_FILE));
  }

  @Test
  void descriptor_reportsMetadataInKongPhaseOrder_andCreatesThePlugin() throws Exception {
    TestCompiler.Result result = TestCompiler.compile(dir, "good.Everything", "good.Plain");

    try (URLClassLoader loader = result.loader()) {
      Map<String, PluginDescriptor> byName = new TreeMap<>();
      ServiceLoader.load(PluginDescriptor.class, loader).forEach(d -> byName.put(d.name(), d));
      assertEquals(List.of("everything", "plain_1"), List.copyOf(byName.keySet()));

      PluginDescriptor everything = byName.get("everything");
      Class<?> pluginClass = loader.loadClass("fixtures.good.Everything");
      Class<?> configClass = loader.loadClass("fixtures.good.Everything$Config");
      assertEquals("1.2.3", everything.version());
      assertEquals(1000, everything.priority());
      assertTrue(everything.failOpen());
      assertEquals(List.of(Phase.REWRITE, Phase.ACCESS, Phase.LOG), everything.phases());
      assertSame(pluginClass, everything.pluginClass());
      assertEquals(Optional.of(configClass), everything.configType());
      assertEquals(EVERYTHING_SCHEMA, everything.schemaJson());
      assertSame(everything.getClass(), PluginDescriptor.of(pluginClass).getClass());

      Record config = newRecord(configClass);
      Object plugin = everything.newPlugin(config);
      assertInstanceOf(pluginClass, plugin);
      Method configAccessor = pluginClass.getMethod("config");
      assertSame(config, configAccessor.invoke(plugin));

      PluginDescriptor plain = byName.get("plain_1");
      assertEquals("2", plain.version());
      assertEquals(-5, plain.priority());
      assertFalse(plain.failOpen());
      assertEquals(List.of(Phase.CERTIFICATE, Phase.RESPONSE, Phase.PREREAD), plain.phases());
      assertEquals(Optional.empty(), plain.configType());
      assertInstanceOf(loader.loadClass("fixtures.good.Plain$Inner"), plain.newPlugin(null));
    }
  }

  @Test
  void constructorTakingInstanceInfo_getsItFromTheDescriptor() throws Exception {
    TestCompiler.Result result = TestCompiler.compile(dir, "good.Informed", "good.InfoOnly");

    assertTrue(result.success(), () -> result.diagnostics().toString());
    try (URLClassLoader loader = result.loader()) {
      InstanceInfo instance =
          new InstanceInfo(
              Optional.of("plugin-id"), Optional.of("route-id"), Optional.empty(), Optional.empty(),
              Optional.of("name"), Optional.of("ws"));
      Class<?> informedClass = loader.loadClass("fixtures.good.Informed");
      PluginDescriptor informed = PluginDescriptor.of(informedClass);
      Record config = newRecord(loader.loadClass("fixtures.good.Informed$Config"));

      Object plugin = informed.newPlugin(config, instance);
      assertSame(config, informedClass.getField("config").get(plugin));
      assertSame(instance, informedClass.getField("instance").get(plugin));
      assertSame(InstanceInfo.none(), informedClass.getField("instance").get(informed.newPlugin(config)));

      Class<?> infoOnlyClass = loader.loadClass("fixtures.good.InfoOnly");
      PluginDescriptor infoOnly = PluginDescriptor.of(infoOnlyClass);
      assertEquals(Optional.empty(), infoOnly.configType());
      assertSame(instance, infoOnlyClass.getField("instance").get(infoOnly.newPlugin(null, instance)));
    }
  }

  @Test
  void constructorTakingPluginMetrics_getsTheServersMetersOrNone() throws Exception {
    TestCompiler.Result result = TestCompiler.compile(dir, "good.Measured", "good.MetricsOnly");

    assertTrue(result.success(), () -> result.diagnostics().toString());
    try (URLClassLoader loader = result.loader()) {
      InstanceInfo instance =
          new InstanceInfo(
              Optional.of("plugin-id"), Optional.empty(), Optional.empty(), Optional.empty(),
              Optional.empty(), Optional.empty());
      PluginMetrics metrics = new PluginMetrics() {
        @Override
        public Counter counter(String name, String... tags) {
          throw new UnsupportedOperationException();
        }

        @Override
        public Timer timer(String name, String... tags) {
          throw new UnsupportedOperationException();
        }
      };
      Class<?> measuredClass = loader.loadClass("fixtures.good.Measured");
      PluginDescriptor measured = PluginDescriptor.of(measuredClass);
      Record config = newRecord(loader.loadClass("fixtures.good.Measured$Config"));

      Object plugin = measured.newPlugin(config, instance, metrics);
      assertSame(config, measuredClass.getField("config").get(plugin));
      assertSame(instance, measuredClass.getField("instance").get(plugin));
      assertSame(metrics, measuredClass.getField("metrics").get(plugin));
      Object plain = measured.newPlugin(config);
      assertSame(InstanceInfo.none(), measuredClass.getField("instance").get(plain));
      assertSame(PluginMetrics.none(), measuredClass.getField("metrics").get(plain));

      Class<?> onlyClass = loader.loadClass("fixtures.good.MetricsOnly");
      PluginDescriptor only = PluginDescriptor.of(onlyClass);
      assertSame(metrics, onlyClass.getField("metrics").get(only.newPlugin(null, instance, metrics)));
      assertSame(PluginMetrics.none(), onlyClass.getField("metrics").get(only.newPlugin(null)));
    }
  }

  @Test
  void twoEquallyRichConstructors_areAnError() throws Exception {
    TestCompiler.Result result = TestCompiler.compile(dir, "bad.Ambiguous");

    assertEquals(
        List.of(
            "a Kong plugin needs one public constructor to be created with, but 2 public"
                + " constructors take 1 usable parameters"),
        result.errors());
  }

  @Test
  void phaseTimeouts_areCheckedAndReadByTheDescriptor() throws Exception {
    TestCompiler.Result good = TestCompiler.compile(dir.resolve("good"), "good.Timed");
    assertTrue(good.success(), good.errors()::toString);
    try (URLClassLoader loader = good.loader()) {
      PluginDescriptor timed = ServiceLoader.load(PluginDescriptor.class, loader).iterator().next();
      assertEquals(Optional.of(java.time.Duration.ofMillis(2_000)), timed.phaseTimeout(Phase.ACCESS));
      assertEquals(Optional.of(java.time.Duration.ofMillis(5_000)), timed.phaseTimeout(Phase.LOG));
    }

    TestCompiler.Result misplaced = TestCompiler.compile(dir.resolve("misplaced"), "bad.MisplacedTimeout");
    assertEquals(List.of("@PhaseTimeout goes on a phase method of the plugin (access(Kong)) or on the"
        + " plugin class; 'log' is neither"), misplaced.errors());
    TestCompiler.Result zero = TestCompiler.compile(dir.resolve("zero"), "bad.ZeroTimeout");
    assertEquals(List.of("@PhaseTimeout must be at least 1 ms, got 0"), zero.errors());
  }

  @Test
  void sameSource_givesTheSameBytes() throws Exception {
    TestCompiler.Result first = TestCompiler.compile(dir.resolve("first"), "good.Everything", "good.Plain");
    TestCompiler.Result second = TestCompiler.compile(dir.resolve("second"), "good.Plain", "good.Everything");

    for (String path :
        List.of(
            "META-INF/kong/everything/schema.json",
            "META-INF/kong/everything/schema.lua",
            KongPluginProcessor.SERVICES_FILE)) {
      assertEquals(first.file(path), second.file(path), path);
    }
    String descriptor = "generated/fixtures/good/Everything_KongPluginDescriptor.java";
    assertEquals(
        Files.readString(dir.resolve("first").resolve(descriptor)),
        Files.readString(dir.resolve("second").resolve(descriptor)));
  }

  @Test
  void badName_isAnErrorOnTheAnnotation() throws Exception {
    TestCompiler.Result result = TestCompiler.compile(dir, "bad.BadName");

    assertFalse(result.success());
    assertEquals(
        List.of(
            "plugin name 'My Plugin' is not usable: use lower-case letters, digits, '-' and '_',"
                + " starting with a letter or digit (e.g. \"my-plugin\")"),
        result.errors());
    assertTrue(result.errorLine("plugin name").startsWith("@KongPlugin(name = \"My Plugin\""));
    assertFalse(result.exists(KongPluginProcessor.SERVICES_FILE));
  }

  @Test
  void badVersion_isAnErrorOnTheAnnotation() throws Exception {
    TestCompiler.Result result = TestCompiler.compile(dir, "bad.BadVersion");

    assertEquals(
        List.of(
            "plugin version '1.2.3.4' is not usable: Kong requires at most three numeric parts,"
                + " \"x.y.z\" (e.g. \"1.0.0\")"),
        result.errors());
    assertTrue(result.errorLine("plugin version").contains("version = \"1.2.3.4\""));
  }

  @Test
  void pluginWithoutPhase_isAnErrorOnTheClass() throws Exception {
    TestCompiler.Result result = TestCompiler.compile(dir, "bad.NoPhase");

    assertEquals(
        List.of(
            "a Kong plugin must implement at least one phase interface: CertificatePhase,"
                + " RewritePhase, AccessPhase, ResponsePhase, PrereadPhase or LogPhase"),
        result.errors());
    assertTrue(result.errorLine("phase interface").startsWith("public final class NoPhase"));
  }

  @Test
  void pluginWithoutUsableConstructor_isAnErrorOnTheClass() throws Exception {
    TestCompiler.Result result = TestCompiler.compile(dir, "bad.NoConstructor");

    assertEquals(
        List.of(
            "a Kong plugin needs a public constructor taking its config record, or a public"
                + " constructor without arguments (either may also take an InstanceInfo, then a PluginMetrics, last)"),
        result.errors());
    assertTrue(result.errorLine("public constructor").startsWith("public final class NoConstructor"));
  }

  @Test
  void configRecordThatNoConstructorTakes_isAnError() throws Exception {
    TestCompiler.Result result = TestCompiler.compile(dir, "bad.ConfigNotTaken");

    assertEquals(
        List.of(
            "the plugin declares record Config but has no public constructor"
                + " ConfigNotTaken(Config config): add one, or Kong's config never reaches the plugin"),
        result.errors());
  }

  @Test
  void unsupportedConfigTypes_areErrorsOnEachComponent() throws Exception {
    TestCompiler.Result result = TestCompiler.compile(dir, "bad.Unsupported");

    assertEquals(4, result.errors().size(), () -> result.errors().toString());
    assertEquals("Object anything,", result.errorLine("java.lang.Object"));
    assertEquals("Map<Integer, String> byNumber,", result.errorLine("Kong map keys are strings"));
    assertTrue(result.errorLine("a raw type").endsWith("List raw,"));
    assertEquals("Thread notARecord) {}", result.errorLine("java.lang.Thread"));
    assertTrue(result.errors().get(0).startsWith("unsupported config type java.lang.Object: use String,"));
    assertFalse(result.exists("META-INF/kong/unsupported/schema.json"));
  }

  @Test
  void defaultsThatDoNotFitTheType_areErrorsOnTheComponent() throws Exception {
    TestCompiler.Result result = TestCompiler.compile(dir, "bad.BadDefault");

    assertEquals(
        List.of(
            "default of 'count' is not an integer: 'abc'",
            "default of 'names' is not a string at [0]",
            "default of 'broken' is not valid JSON at offset 4: expected ']'",
            "default of 'tooBig' 3000000000 does not fit in int"),
        result.errors());
    assertTrue(result.errorLine("'count'").endsWith("int count,"));
    assertTrue(result.errorLine("'broken'").endsWith("List<String> broken,"));
    assertTrue(result.errorLine("'tooBig'").endsWith("int tooBig) {}"));
  }

  @Test
  void misplacedOrContradictoryValidators_areErrorsOnTheComponent() throws Exception {
    TestCompiler.Result result = TestCompiler.compile(dir, "bad.BadValidators");

    assertEquals(
        List.of(
            "@Uuid is not allowed here: it applies to a String (or a collection of strings)",
            "malformed Lua pattern '%b()': balanced matches (%b) cannot be checked outside Lua",
            "@Length: give eq, or min and/or max, not both",
            "'optionalRequired' is Optional and required at once: drop one of them",
            "description of 'described' must be 10 to 500 bytes long, as Kong's metaschema"
                + " requires (it is 5)",
            "'route_id' is a key Kong adds to every plugin config: choose another name (the value"
                + " is available as instance information)"),
        result.errors());
    assertEquals("@Uuid int number,", result.errorLine("@Uuid"));
    assertEquals("@Match(\"%b()\") String balanced,", result.errorLine("%b"));
    assertTrue(result.errorLine("description of").endsWith("String described,"));
    assertTrue(result.errorLine("'route_id'").endsWith("String route) {}"));
  }

  @Test
  void duplicatePluginName_isAnErrorOnTheSecondPlugin() throws Exception {
    TestCompiler.Result result = TestCompiler.compile(dir, "bad.DuplicateA", "bad.DuplicateB");

    assertEquals(
        List.of("duplicate plugin name 'twice': fixtures.bad.DuplicateA already uses it in this build"),
        result.errors());
    assertTrue(result.errorLine("duplicate").contains("priority = 2"));
  }

  /** A config record with every component at its Java default (null, 0, false). */
  private static Record newRecord(Class<?> type) throws Exception {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      values[i] = defaultOf(types[i]);
    }
    Constructor<?> constructor = type.getDeclaredConstructor(types);
    return (Record) constructor.newInstance(values);
  }

  private static Object defaultOf(Class<?> type) {
    if (!type.isPrimitive()) {
      return null;
    }
    if (type == boolean.class) {
      return false;
    }
    return java.lang.reflect.Array.get(java.lang.reflect.Array.newInstance(type, 1), 0);
  }
}
