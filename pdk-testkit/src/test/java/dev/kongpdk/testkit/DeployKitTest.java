package dev.kongpdk.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The deployment kit ({@code deploy/}, {@code docs/deploying.md}, the examples' READMEs) names real
 * things: launchers that are examples' plugins, {@code pluginserver_*} keys in Kong's form for those
 * names, flags the plugin server accepts, and sockets where the started server listens.
 */
class DeployKitTest {

  private static final Path ROOT = Path.of("..");
  private static final Set<String> PER_SERVER_KEYS = Set.of("socket", "start_cmd", "query_cmd");
  /** Top-level keys of the kong/kong chart's values.yaml that the values files may use. */
  private static final Set<String> CHART_KEYS = Set.of("image", "env", "admin", "proxy", "cluster", "status",
      "secretVolumes", "postgresql", "ingressController", "deployment", "readinessProbe", "livenessProbe",
      "replicaCount", "resources", "customEnv", "manager", "enterprise", "plugins");
  private static final Pattern LAUNCHER_USE = Pattern.compile("/usr/local/bin/([a-zA-Z0-9_-]+)((?:[ \\t]+-{1,2}[a-z-]+(?:[ \\t]+[^-\\s\"'`|]\\S*)?)*)");

  @Test
  void theDockerfileInstallsAnExamplesLauncherAndConfiguresItInKongsForm() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("deploy/Dockerfile"));
    Map<String, String> plugins = examplePlugins();

    String example = first(dockerfile, "ARG EXAMPLE=(\\S+)");
    String plugin = first(dockerfile, "ARG PLUGIN=(\\S+)");
    assertEquals(plugins.get(example), plugin, "ARG PLUGIN must be the @KongPlugin name of examples/" + example);
    assertEquals(plugin, first(dockerfile, "COPY --from=build /plugin-launcher /usr/local/bin/(\\S+)"));

    Map<String, String> env = new LinkedHashMap<>();
    Matcher m = Pattern.compile("(KONG_[A-Z0-9_]+)=(\"[^\"]*\"|\\S+)").matcher(dockerfile);
    while (m.find()) {
      env.put(m.group(1).substring("KONG_".length()).toLowerCase(), m.group(2).replace("\"", ""));
    }
    checkKongSettings("deploy/Dockerfile", env);
    assertEquals(List.of(plugin), List.of(env.get("pluginserver_names").split(",")));
  }

  @Test
  void theHelmValuesUseTheChartsKeysAndKongsSettingsForThePlugin() throws IOException {
    for (String file : List.of("values-single.yaml", "values-control-plane.yaml", "values-data-plane.yaml")) {
      List<String> lines = Files.readAllLines(ROOT.resolve("deploy/helm/" + file));
      Map<String, String> env = new LinkedHashMap<>();
      String section = "";
      for (String line : lines) {
        if (line.isBlank() || line.strip().startsWith("#")) {
          continue;
        }
        Matcher top = Pattern.compile("^([A-Za-z]+):").matcher(line);
        if (top.find()) {
          section = top.group(1);
          assertTrue(CHART_KEYS.contains(section), file + ": '" + section + "' is not a key of the kong/kong chart");
        } else if (section.equals("env")) {
          Matcher kv = Pattern.compile("^  ([a-z0-9_]+): (.*)$").matcher(line);
          assertTrue(kv.find(), file + ": unexpected line under env: " + line);
          env.put(kv.group(1), kv.group(2).replace("\"", "").strip());
        }
      }
      checkKongSettings("deploy/helm/" + file, env);
      String role = env.getOrDefault("role", "traditional");
      assertEquals(file.contains("control") ? "control_plane" : file.contains("data") ? "data_plane" : "traditional", role, file);
      assertEquals("/kong_prefix/", env.get("prefix"), file + ": the chart's prefix");
    }
  }

  @Test
  void theControlPlaneWithoutJavaMountsTheSchemaOfAnExampleWithItsPriorityAndVersion() throws IOException {
    String values = Files.readString(ROOT.resolve("deploy/helm/values-control-plane-lua-schema.yaml"));
    String plugin = first(values, "- pluginName: (\\S+)");
    String example = examplePlugins().entrySet().stream().filter(e -> e.getValue().equals(plugin)).map(Map.Entry::getKey)
        .findFirst().orElseThrow(() -> new AssertionError(plugin + " is no example's plugin"));
    Pattern.compile("(?m)^([A-Za-z]+):").matcher(values).results().map(r -> r.group(1)).forEach(key ->
        assertTrue(CHART_KEYS.contains(key), "values-control-plane-lua-schema.yaml: '" + key + "' is not a key of the kong/kong chart"));
    assertFalse(values.contains("pluginserver_"), "a control plane without Java has no plugin server settings");
    assertTrue(values.contains("role: control_plane"), "the Lua stub belongs on a control plane only");
    assertTrue(values.contains("META-INF/kong/" + plugin + "/schema.lua"), "the schema comes from the plugin's jar");
    assertTrue(values.contains("examples/" + example + "/target/" + plugin + ".jar"), "the jar the example builds");

    String annotation;
    try (Stream<Path> sources = Files.walk(ROOT.resolve("examples/" + example + "/src/main/java"))) {
      annotation = sources.filter(s -> s.toString().endsWith(".java")).map(DeployKitTest::read)
          .map(s -> Pattern.compile("@KongPlugin\\(name = \"" + Pattern.quote(plugin) + "\", version = \"([^\"]+)\", priority = (\\d+)").matcher(s))
          .filter(Matcher::find).map(m -> "return { PRIORITY = " + m.group(2) + ", VERSION = \"" + m.group(1) + "\" }")
          .findFirst().orElseThrow(() -> new AssertionError("no @KongPlugin(name = \"" + plugin + "\", ...) in examples/" + example));
    }
    for (String document : List.of("deploy/helm/values-control-plane-lua-schema.yaml", "docs/deploying.md")) {
      assertTrue(Files.readString(ROOT.resolve(document)).contains("printf '" + annotation + "\\n'"),
          document + ": the handler stub must be " + annotation);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void everyLauncherCommandInTheDocsNamesAnExampleAndFlagsTheServerAccepts() throws IOException {
    List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("docs/deploying.md"), ROOT.resolve("docs/troubleshooting.md"),
        ROOT.resolve("deploy/Dockerfile")));
    try (Stream<Path> examples = Files.list(ROOT.resolve("examples"))) {
      examples.map(p -> p.resolve("README.md")).filter(Files::exists).forEach(documents::add);
    }
    Set<String> names = new HashSet<>(examplePlugins().values());
    Set<String> flags = serverFlags();
    int commands = 0;
    for (Path document : documents) {
      Matcher m = LAUNCHER_USE.matcher(Files.readString(document));
      while (m.find()) {
        if (m.group(1).equals("N") || m.group(1).equals("java") || m.group(1).startsWith("query_")) {
          continue; // the docs' placeholder for any name, Java itself, and Kong 2.8's default query command
        }
        commands++;
        assertTrue(names.contains(m.group(1)), document + ": /usr/local/bin/" + m.group(1) + " is no example's plugin");
        for (String word : m.group(2).strip().split("\\s+")) {
          if (word.startsWith("-")) {
            assertTrue(flags.contains(word), document + ": the plugin server has no flag " + word + " (it has " + flags + ")");
          }
        }
      }
    }
    assertTrue(commands >= 10, "expected the deployment docs to show launcher commands; found " + commands);
  }

  /**
   * Checks Kong's plugin server settings: every name in pluginserver_names is an example's plugin
   * and is in plugins; every other pluginserver_ key is pluginserver_NAME_(socket|start_cmd|query_cmd)
   * for a listed name; commands use the launcher of that name with flags the server accepts; a
   * socket and the start command's -kong-prefix agree.
   */
  private static void checkKongSettings(String file, Map<String, String> env) throws IOException {
    Set<String> examples = new HashSet<>(examplePlugins().values());
    List<String> names = Arrays.stream(env.getOrDefault("pluginserver_names", "").split(",")).map(String::strip).toList();
    assertFalse(names.isEmpty() || names.get(0).isEmpty(), file + ": no pluginserver_names");
    List<String> plugins = Arrays.stream(env.getOrDefault("plugins", "").split(",")).map(String::strip).toList();
    Set<String> flags = serverFlags();
    for (String name : names) {
      assertTrue(examples.contains(name), file + ": " + name + " is no example's @KongPlugin name");
      assertTrue(plugins.contains(name), file + ": plugins must list " + name + " too");
    }
    for (Map.Entry<String, String> setting : env.entrySet()) {
      String key = setting.getKey();
      if (!key.startsWith("pluginserver_") || key.equals("pluginserver_names")) {
        continue;
      }
      String name = names.stream().filter(n -> key.startsWith("pluginserver_" + n.replace('-', '_') + "_")).findFirst()
          .orElseThrow(() -> new AssertionError(file + ": " + key + " names no plugin of pluginserver_names " + names));
      String setting2 = key.substring(("pluginserver_" + name.replace('-', '_') + "_").length());
      assertTrue(PER_SERVER_KEYS.contains(setting2), file + ": " + key + " is not one of Kong's per-server settings " + PER_SERVER_KEYS);
      if (setting2.endsWith("_cmd")) {
        List<String> words = List.of(setting.getValue().split("\\s+"));
        assertEquals("/usr/local/bin/" + name, words.get(0), file + ": " + key);
        words.stream().filter(w -> w.startsWith("-")).forEach(w ->
            assertTrue(flags.contains(w), file + ": " + key + " uses " + w + ", which the plugin server does not accept"));
        if (setting2.equals("query_cmd")) {
          assertEquals(List.of("/usr/local/bin/" + name, "-dump"), words, file + ": " + key);
        }
      }
    }
    for (String name : names) {
      String prefix = "pluginserver_" + name.replace('-', '_') + "_";
      String socket = env.get(prefix + "socket");
      String start = env.get(prefix + "start_cmd");
      if (socket != null && start != null) {
        Matcher kongPrefix = Pattern.compile("-{1,2}kong-prefix\\s+(\\S+)").matcher(start);
        Matcher explicit = Pattern.compile("--socket\\s+(\\S+)").matcher(start);
        String listens = explicit.find() ? explicit.group(1)
            : (kongPrefix.find() ? kongPrefix.group(1) : "/usr/local/kong").replaceAll("/$", "") + "/" + name + ".socket";
        assertEquals(socket, listens, file + ": Kong connects to " + socket + " but the server listens on " + listens);
      }
    }
  }

  /** Example folder → the name in its {@code @KongPlugin}, which names its launcher. */
  private static Map<String, String> examplePlugins() throws IOException {
    Map<String, String> plugins = new LinkedHashMap<>();
    try (Stream<Path> examples = Files.list(ROOT.resolve("examples"))) {
      for (Path pom : examples.map(p -> p.resolve("pom.xml")).filter(Files::exists).sorted().toList()) {
        StringBuilder sources = new StringBuilder();
        try (Stream<Path> files = Files.walk(pom.getParent().resolve("src/main/java"))) {
          for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
            sources.append(Files.readString(file));
          }
        }
        plugins.put(pom.getParent().getFileName().toString(), first(sources.toString(), "@KongPlugin\\(\\s*name\\s*=\\s*\"([^\"]+)\""));
      }
    }
    assertTrue(plugins.size() >= 4, "expected hello, auth-router, response-transformer and log-shipper: " + plugins);
    return plugins;
  }

  /** The options in the plugin server's usage text (PluginServerMain.USAGE). */
  private static Set<String> serverFlags() throws IOException {
    String main = Files.readString(ROOT.resolve("pdk-bridge/src/main/java/dev/kongpdk/bridge/PluginServerMain.java"));
    String usage = main.substring(main.indexOf("USAGE ="), main.indexOf("\"\"\";", main.indexOf("USAGE =")));
    Set<String> flags = Pattern.compile("(?m)^\\s+(-{1,2}[a-z-]+)").matcher(usage).results().map(r -> r.group(1))
        .collect(Collectors.toSet());
    // "Options may be written with one or two dashes."
    assertTrue(usage.contains("one or two dashes"), "the usage no longer says options take one or two dashes");
    Set<String> both = new HashSet<>();
    flags.forEach(f -> both.add("-" + f.replaceFirst("^-+", "")));
    flags.forEach(f -> both.add("--" + f.replaceFirst("^-+", "")));
    assertTrue(both.contains("-dump") && both.contains("--socket"), "usage parsed wrongly: " + flags);
    return both;
  }

  private static String first(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), "no match for " + regex);
    return m.group(1);
  }
}
