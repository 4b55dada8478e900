package dev.kongpdk.maven.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginNamesTest {

  @TempDir Path classes;

  @Test
  void readsTheNamesTheProcessorWroteSchemasFor() throws IOException {
    schema("zeta");
    schema("auth-router");
    Files.createDirectories(classes.resolve("META-INF/kong/not-a-plugin"));

    assertEquals(List.of("auth-router", "zeta"), PluginNames.in(classes));
  }

  @Test
  void theLauncherTakesTheOnlyPluginsName() throws IOException {
    schema("greeter");

    assertEquals("greeter", PluginNames.launcherName(classes, null));
    assertEquals("custom", PluginNames.launcherName(classes, "custom"));
  }

  @Test
  void severalPluginsNeedAConfiguredName() throws IOException {
    schema("a");
    schema("b");

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> PluginNames.launcherName(classes, " "));
    assertTrue(e.getMessage().contains("several plugins [a, b]"), e.getMessage());
  }

  @Test
  void noPluginSaysTheProcessorDidNotRun() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> PluginNames.launcherName(classes, null));
    assertTrue(e.getMessage().contains("pdk-processor"), e.getMessage());
  }

  private void schema(String name) throws IOException {
    Path dir = Files.createDirectories(classes.resolve("META-INF/kong/" + name));
    Files.writeString(dir.resolve("schema.json"), "{}");
  }
}
