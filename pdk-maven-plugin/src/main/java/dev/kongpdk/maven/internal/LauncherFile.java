package dev.kongpdk.maven.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * The launcher Kong starts: the kit's {@code launcher.sh}, read from the pdk-bridge jar the plugin
 * is built with (so its JVM flags come with the kit's version), with the runnable jar appended.
 * Executable, so Kong can run it as {@code /usr/local/bin/<name>}.
 */
public final class LauncherFile {

  /** Where the script lives in the pdk-bridge jar. */
  public static final String SCRIPT = "dev/kongpdk/bridge/launcher.sh";

  private LauncherFile() {}

  /**
   * Reads the launcher script out of the pdk-bridge jar.
   *
   * @param bridgeJar the pdk-bridge jar (or its classes directory, inside a reactor build)
   * @return the script's bytes
   * @throws IOException when the jar cannot be read or has no launcher script
   */
  public static byte[] script(Path bridgeJar) throws IOException {
    if (Files.isDirectory(bridgeJar)) {
      Path script = bridgeJar.resolve(SCRIPT);
      if (!Files.isRegularFile(script)) {
        throw new IOException(bridgeJar + " has no " + SCRIPT);
      }
      return Files.readAllBytes(script);
    }
    try (JarFile jar = new JarFile(bridgeJar.toFile())) {
      ZipEntry entry = jar.getEntry(SCRIPT);
      if (entry == null) {
        throw new IOException(bridgeJar + " has no " + SCRIPT + "; is it dev.kongpdk:pdk-bridge?");
      }
      try (InputStream in = jar.getInputStream(entry)) {
        return in.readAllBytes();
      }
    }
  }

  /**
   * Writes {@code target}: {@code script} followed by {@code jar}, mode 755.
   *
   * @param script the launcher script
   * @param jar the runnable jar
   * @param target the launcher to write (replaced)
   * @throws IOException when a file cannot be read or written
   */
  public static void write(byte[] script, Path jar, Path target) throws IOException {
    try (OutputStream out = Files.newOutputStream(target)) {
      out.write(script);
      Files.copy(jar, out);
    }
    try {
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (UnsupportedOperationException e) {
      throw new IOException("cannot make " + target + " executable: the file system has no POSIX permissions", e);
    }
  }
}
