package dev.kongpdk.maven.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherFileTest {

  @TempDir Path dir;

  @Test
  void theLauncherIsTheBridgesScriptFollowedByTheJarAndIsExecutable() throws IOException {
    Path bridge = dir.resolve("pdk-bridge.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(bridge))) {
      out.putNextEntry(new JarEntry(LauncherFile.SCRIPT));
      out.write("#!/bin/sh\nexec java -jar \"$0\" \"$@\"\n".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    Path jar = Files.write(dir.resolve("hello.jar"), new byte[] {'P', 'K', 3, 4});
    Path launcher = dir.resolve("hello");

    LauncherFile.write(LauncherFile.script(bridge), jar, launcher);

    byte[] expected = ("#!/bin/sh\nexec java -jar \"$0\" \"$@\"\nPK" + (char) 3 + (char) 4).getBytes(StandardCharsets.ISO_8859_1);
    assertArrayEquals(expected, Files.readAllBytes(launcher));
    assertTrue(Files.isExecutable(launcher));
  }

  @Test
  void aJarWithoutTheScriptIsNotTheBridge() throws IOException {
    Path other = dir.resolve("other.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(other))) {
      out.putNextEntry(new JarEntry("x"));
      out.closeEntry();
    }

    IOException e = assertThrows(IOException.class, () -> LauncherFile.script(other));
    assertEquals(other + " has no " + LauncherFile.SCRIPT + "; is it dev.kongpdk:pdk-bridge?", e.getMessage());
  }
}
