package dev.kongpdk.bridge.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.bridge.ConfigException;
import dev.kongpdk.plugin.PluginDescriptor;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import javax.annotation.processing.Processor;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Binds configs with the descriptor and schema the annotation processor generates from a real
 * config record: the schema Kong validates with and the binder's checks come from the same source.
 */
@Timeout(60)
class GeneratedSchemaBindingTest {

  private static final String PLUGIN =
      """
      package demo;

      import com.fasterxml.jackson.annotation.JsonProperty;
      import com.fasterxml.jackson.annotation.JsonPropertyDescription;
      import dev.kongpdk.Kong;
      import dev.kongpdk.plugin.AccessPhase;
      import dev.kongpdk.plugin.KongPlugin;
      import dev.kongpdk.plugin.schema.Between;
      import dev.kongpdk.plugin.schema.Encrypted;
      import dev.kongpdk.plugin.schema.Gt;
      import dev.kongpdk.plugin.schema.Length;
      import dev.kongpdk.plugin.schema.Match;
      import dev.kongpdk.plugin.schema.Referenceable;
      import dev.kongpdk.plugin.schema.Uuid;
      import java.util.List;
      import java.util.Optional;

      @KongPlugin(name = "rate-guard", version = "1.0.0", priority = 900)
      public final class RateGuard implements AccessPhase {

        public enum Policy { LOCAL, @JsonProperty("cluster-wide") CLUSTER }

        public record Limits(
            @JsonProperty(defaultValue = "10") @Between(min = 1, max = 10000) int perSecond,
            @Gt(0) Optional<Double> burstFactor) {}

        public record Config(
            @JsonProperty(required = true) @Length(min = 3, max = 64) @Match("^[%w-]+$")
                @JsonPropertyDescription("The header that identifies the caller.") String header,
            @JsonProperty(defaultValue = "LOCAL") Policy policy,
            @JsonProperty(required = true) Limits limits,
            @JsonProperty(defaultValue = "[]") @Uuid List<String> exemptConsumers,
            @Referenceable @Encrypted Optional<String> redisPassword) {}

        public final Config config;

        public RateGuard(Config config) {
          this.config = config;
        }

        @Override
        public void access(Kong kong) {}
      }
      """;

  @TempDir Path dir;
  private URLClassLoader loader;
  private PluginDescriptor rateGuard;
  private final ConfigBinder binder = new ConfigBinder();

  @BeforeEach
  void compileThePlugin() throws Exception {
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavaFileObject source =
        new SimpleJavaFileObject(URI.create("string:///demo/RateGuard.java"), JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return PLUGIN;
          }
        };
    JavaCompiler.CompilationTask task =
        compiler.getTask(
            null, null, diagnostics,
            List.of("--release", "21", "-proc:full", "-classpath", System.getProperty("java.class.path"),
                "-d", classes.toString()),
            null, List.of(source));
    task.setProcessors(List.of(kongProcessor()));
    assertTrue(task.call(), () -> diagnostics.getDiagnostics().toString());
    loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
    rateGuard = ServiceLoader.load(PluginDescriptor.class, loader).stream()
        .map(ServiceLoader.Provider::get)
        .filter(d -> d.pluginClass().getClassLoader() == loader)
        .findFirst().orElseThrow();
  }

  /** The processor as javac finds it on a processor path: through its service registration. */
  private static Processor kongProcessor() {
    return ServiceLoader.load(Processor.class).stream()
        .filter(p -> p.type().getName().equals("dev.kongpdk.processor.KongPluginProcessor"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("pdk-processor does not register its processor"))
        .get();
  }

  @AfterEach
  void close() throws Exception {
    loader.close();
  }

  private String bound(String json) throws Exception {
    Record config = binder.bind(rateGuard, json);
    return config.toString();
  }

  private String error(String json) {
    return assertThrows(ConfigException.class, () -> binder.bind(rateGuard, json)).getMessage();
  }

  @Test
  void minimalConfig_getsEveryDefault() throws Exception {
    assertEquals(
        "Config[header=x-user, policy=LOCAL, limits=Limits[perSecond=10, burstFactor=Optional.empty],"
            + " exemptConsumers=[], redisPassword=Optional.empty]",
        bound("{\"header\":\"x-user\",\"__seq__\":4,\"route_id\":\"r\"}"));
  }

  @Test
  void fullConfig_bindsEveryValue() throws Exception {
    assertEquals(
        "Config[header=x-user, policy=CLUSTER, limits=Limits[perSecond=50, burstFactor=Optional[1.5]],"
            + " exemptConsumers=[00000000-0000-4000-8000-000000000001],"
            + " redisPassword=Optional[{vault://env/redis}]]",
        bound(
            "{\"header\":\"x-user\",\"policy\":\"cluster-wide\","
                + "\"limits\":{\"perSecond\":50,\"burstFactor\":1.5},"
                + "\"exemptConsumers\":[\"00000000-0000-4000-8000-000000000001\"],"
                + "\"redisPassword\":\"{vault://env/redis}\"}"));
  }

  @Test
  void invalidValues_failWithTheRulesTheSchemaStates() {
    assertEquals(
        "config.header: length must be at least 3; config.policy: expected one of: LOCAL,"
            + " cluster-wide; config.limits.perSecond: value should be between 1 and 10000;"
            + " config.limits.burstFactor: value must be greater than 0;"
            + " config.exemptConsumers[0]: expected a valid UUID",
        error(
            "{\"header\":\"x\",\"policy\":\"CLUSTER\",\"limits\":{\"perSecond\":0,\"burstFactor\":0},"
                + "\"exemptConsumers\":[\"nope\"]}"));
    assertEquals("config.header: invalid value: must match ^[%w-]+$", error("{\"header\":\"x user\"}"));
    assertEquals("config.header: required field missing", error("{}"));
  }

  @Test
  void createdPlugin_getsTheBoundConfig() throws Exception {
    Record config = binder.bind(rateGuard, "{\"header\":\"x-user\"}");
    Object plugin = rateGuard.newPlugin(config);
    assertEquals(config, plugin.getClass().getField("config").get(plugin));
  }
}
