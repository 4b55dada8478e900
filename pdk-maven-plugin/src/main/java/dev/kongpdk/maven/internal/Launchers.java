package dev.kongpdk.maven.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds a built launcher for the goals that run it. */
public final class Launchers {

  private Launchers() {}

  /**
   * The launcher {@code pdk:launcher} wrote for this build.
   *
   * @param classes the build's output directory
   * @param target the build directory
   * @param name the configured launcher name, or null
   * @return the launcher's path
   * @throws IOException when the classes directory cannot be read
   * @throws IllegalStateException when the plugin was not packaged yet
   */
  public static Path built(Path classes, Path target, String name) throws IOException {
    if (!Files.isDirectory(classes)) {
      throw new IllegalStateException("the plugin is not built yet: run 'mvn package' first");
    }
    Path launcher = target.resolve(PluginNames.launcherName(classes, name));
    if (!Files.isExecutable(launcher)) {
      throw new IllegalStateException(launcher + " is not built yet: run 'mvn package' first"
          + " (with dev.kongpdk:pdk-maven-plugin's launcher goal in the build)");
    }
    return launcher;
  }
}
