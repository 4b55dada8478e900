package dev.kongpdk.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script (launcher.sh with a jar appended), run by /bin/sh as Kong runs it: its
 * class-data-sharing archive is made on the first run, kept while the launcher is unchanged, and
 * made anew when the launcher is replaced by a newer one.
 */
@Timeout(120)
class LauncherScriptTest {

  @TempDir Path dir;

  /** The launcher's jar runs this: it prints its arguments. */
  public static final class Probe {
    public static void main(String[] args) {
      System.out.print("ran " + String.join(" ", args));
    }
  }

  @Test
  void theArchiveIsMadeOnceAndMadeAnewWhenThePluginIsReplaced() throws Exception {
    Path launcher = launcher(dir.resolve("probe"));
    Path archive = dir.resolve(".probe.jsa");

    assertEquals("ran -dump", run(launcher, "-dump"));
    assertTrue(Files.isRegularFile(archive), "the first run makes the archive");
    FileTime made = Files.getLastModifiedTime(archive);

    assertEquals("ran -dump", run(launcher, "-dump"));
    assertEquals(made, Files.getLastModifiedTime(archive), "an unchanged launcher reads the archive");

    // An upgrade: the launcher was written after the archive was made.
    Files.setLastModifiedTime(archive, FileTime.from(made.toInstant().minus(Duration.ofMinutes(10))));
    assertEquals("ran -dump", run(launcher, "-dump"));
    assertTrue(Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(launcher)) > 0,
        "the archive of the replaced launcher is made anew, not left to be refused at every start");
    FileTime remade = Files.getLastModifiedTime(archive);

    assertEquals("ran -dump", run(launcher, "-dump"));
    assertEquals(remade, Files.getLastModifiedTime(archive), "the new archive is read, not made again");
  }

  private static Path launcher(Path path) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Probe.class.getName());
    try (OutputStream out = Files.newOutputStream(path)) {
      try (InputStream script = PluginServer.class.getResourceAsStream("launcher.sh")) {
        script.transferTo(out);
      }
      JarOutputStream jar = new JarOutputStream(out, manifest);
      String entry = Probe.class.getName().replace('.', '/') + ".class";
      jar.putNextEntry(new JarEntry(entry));
      try (InputStream bytes = Probe.class.getResourceAsStream("/" + entry)) {
        bytes.transferTo(jar);
      }
      jar.closeEntry();
      jar.finish();
    }
    assertTrue(path.toFile().setExecutable(true));
    return path;
  }

  /** Runs the launcher with this JVM's java, as Kong does (no PATH); returns its stdout. */
  private String run(Path launcher, String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = launcher.toString();
    System.arraycopy(args, 0, command, 1, args.length);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectError(dir.resolve("stderr.txt").toFile());
    builder.environment().clear();
    builder.environment().put("KONG_PDK_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the launcher did not exit");
    assertEquals(0, process.exitValue(), () -> "the launcher failed: " + stderr());
    assertEquals("", stderr(), "the launcher wrote to stderr");
    return out;
  }

  private String stderr() {
    try {
      return Files.readString(dir.resolve("stderr.txt"));
    } catch (IOException e) {
      return e.toString();
    }
  }
}
