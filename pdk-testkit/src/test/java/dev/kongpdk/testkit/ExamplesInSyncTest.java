package dev.kongpdk.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The examples are standalone copies of one pattern (no parent pom): what must stay equal across
 * them and the kit is checked here, so that a change to one is made to all.
 */
class ExamplesInSyncTest {

  private static final Path ROOT = Path.of("..");

  private static List<Path> examples() throws IOException {
    try (Stream<Path> dirs = Files.list(ROOT.resolve("examples"))) {
      List<Path> examples = dirs.filter(d -> Files.exists(d.resolve("pom.xml"))).sorted().toList();
      assertTrue(examples.size() >= 4, "expected hello, auth-router, response-transformer and log-shipper: " + examples);
      return examples;
    }
  }

  @Test
  void everyExampleBuildsItsLauncherWithTheKitsMavenPluginInAtMost60Lines() throws IOException {
    for (Path example : examples()) {
      String pom = Files.readString(example.resolve("pom.xml"));
      assertTrue(pom.contains("<artifactId>pdk-maven-plugin</artifactId>") && pom.contains("<goal>launcher</goal>"),
          example + "/pom.xml must build its launcher with pdk-maven-plugin's launcher goal");
      assertTrue(pom.contains("<kongpdk.server.command>${kongpdk.launcher}</kongpdk.server.command>"),
          example + "/pom.xml must run its socket tests (failsafe) against the packaged launcher");
      long lines = pom.lines().count();
      assertTrue(lines <= 60, example + "/pom.xml has " + lines + " lines; the kit's plugin keeps it under 60");
      assertTrue(pom.contains("<groupId>dev.kongpdk.examples</groupId>"),
          example + " must not take coordinates a user's project would (com.example...)");
      assertTrue(Files.notExists(example.resolve("src/launcher")),
          example + " must not carry its own launcher copy: the kit's comes with pdk-bridge");
    }
  }

  @Test
  void theArchetypesPomIsTheExamplesPattern() throws IOException {
    String template = Files.readString(ROOT.resolve("pdk-archetype/src/main/resources/archetype-resources/pom.xml"));
    String hello = Files.readString(ROOT.resolve("examples/hello/pom.xml"));
    String build = "  <build>";
    assertEquals(hello.substring(hello.indexOf(build)), template.substring(template.indexOf(build)),
        "the archetype's <build> must be the examples' (both are what a user's project looks like)");
  }

  @Test
  void everyExampleBuildsAgainstTheKitsVersionAndItsJackson() throws IOException {
    String root = Files.readString(ROOT.resolve("pom.xml"));
    String kitVersion = property(root, "<artifactId>pdk-parent</artifactId>\\s*<version>([^<]+)</version>");
    String jackson = property(root, "<jackson.version>([^<]+)</jackson.version>");
    for (Path example : examples()) {
      String pom = Files.readString(example.resolve("pom.xml"));
      assertEquals(kitVersion, property(pom, "<pdk.version>([^<]+)</pdk.version><!-- CURRENT_PDK_VERSION -->"),
          example + ": pdk.version");
      assertTrue(!pom.contains("<parent>"), example + " must not have a parent: users copy it");
      if (pom.contains("<jackson.version>")) {
        assertEquals(jackson, property(pom, "<jackson.version>([^<]+)</jackson.version>"),
            example + ": Jackson must be the version the kit's plugin server uses");
      }
    }
  }

  @Test
  void theBomGivesUsersTheVersionsTheKitIsBuiltWith() throws IOException {
    String root = Files.readString(ROOT.resolve("pom.xml"));
    String bom = Files.readString(ROOT.resolve("pdk-bom/pom.xml"));
    for (String version : List.of("jackson.version", "junit.version", "mockito.version")) {
      String regex = "<" + version + ">([^<]+)</" + version + ">";
      assertEquals(property(root, regex), property(bom, regex), "pdk-bom's " + version);
    }
  }

  private static String property(String pom, String regex) {
    Matcher m = Pattern.compile(regex).matcher(pom);
    assertTrue(m.find(), "no match for " + regex);
    return m.group(1);
  }
}
