package dev.kongpdk.maven.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnableJarTest {

  @TempDir Path dir;

  @Test
  void mergesServiceFilesAndKeepsThePluginsOwnCopyOfAClass() throws IOException {
    Path classes = dir.resolve("classes");
    write(classes.resolve("com/example/Hello.class"), "plugin's");
    write(classes.resolve("META-INF/services/dev.kongpdk.plugin.PluginDescriptor"), "com.example.Hello_KongPluginDescriptor");
    Path dependency = jar("dep.jar",
        "com/example/Hello.class", "dependency's",
        "META-INF/services/dev.kongpdk.plugin.PluginDescriptor", "other.Descriptor\n",
        "dev/kongpdk/bridge/PluginServerMain.class", "main");
    Path target = dir.resolve("out/hello.jar");

    List<String> duplicates = RunnableJar.write(classes, List.of(dependency), target);

    try (JarFile jar = new JarFile(target.toFile())) {
      assertEquals(RunnableJar.MAIN_CLASS, jar.getManifest().getMainAttributes().getValue("Main-Class"));
      assertEquals("plugin's", text(jar, "com/example/Hello.class"));
      assertEquals("com.example.Hello_KongPluginDescriptor\nother.Descriptor\n",
          text(jar, "META-INF/services/dev.kongpdk.plugin.PluginDescriptor"));
      assertEquals("main", text(jar, "dev/kongpdk/bridge/PluginServerMain.class"));
    }
    assertEquals(List.of("com/example/Hello.class"), duplicates);
  }

  @Test
  void leavesOutSignaturesManifestsAndModuleDescriptors() throws IOException {
    Path classes = dir.resolve("classes");
    write(classes.resolve("a/A.class"), "a");
    Path signed = jar("signed.jar",
        "META-INF/SIGNER.SF", "sig", "META-INF/SIGNER.RSA", "sig", "module-info.class", "mod",
        "META-INF/versions/11/module-info.class", "mod", "b/B.class", "b");
    Path target = dir.resolve("hello.jar");

    RunnableJar.write(classes, List.of(signed), target);

    try (JarFile jar = new JarFile(target.toFile())) {
      assertNull(jar.getEntry("META-INF/SIGNER.SF"));
      assertNull(jar.getEntry("META-INF/SIGNER.RSA"));
      assertNull(jar.getEntry("module-info.class"));
      assertNull(jar.getEntry("META-INF/versions/11/module-info.class"));
      assertEquals("b", text(jar, "b/B.class"));
    }
  }

  @Test
  void theSameInputsGiveTheSameBytes() throws IOException {
    Path classes = dir.resolve("classes");
    write(classes.resolve("a/A.class"), "a");
    Path dependency = jar("dep.jar", "b/B.class", "b");

    RunnableJar.write(classes, List.of(dependency), dir.resolve("one.jar"));
    RunnableJar.write(classes, List.of(dependency), dir.resolve("two.jar"));

    assertArrayEquals(Files.readAllBytes(dir.resolve("one.jar")), Files.readAllBytes(dir.resolve("two.jar")));
  }

  @Test
  void missingClassesAreAClearError() {
    IOException e = assertThrows(IOException.class,
        () -> RunnableJar.write(dir.resolve("nothing"), List.of(), dir.resolve("x.jar")));

    assertEquals(dir.resolve("nothing") + " does not exist: compile the plugin first", e.getMessage());
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private Path jar(String name, String... entries) throws IOException {
    Path jar = dir.resolve(name);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (int i = 0; i < entries.length; i += 2) {
        out.putNextEntry(new JarEntry(entries[i]));
        out.write(entries[i + 1].getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return jar;
  }

  private static String text(JarFile jar, String name) throws IOException {
    return new String(jar.getInputStream(jar.getEntry(name)).readAllBytes(), StandardCharsets.UTF_8);
  }

}
