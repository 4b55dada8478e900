package dev.kongpdk.maven.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The names of the plugins a build compiled, read from what the annotation processor wrote for
 * each {@code @KongPlugin}: {@code META-INF/kong/<name>/schema.json} in the classes directory. The
 * name is written once, in the annotation.
 */
public final class PluginNames {

  private PluginNames() {}

  /**
   * Lists the plugin names under {@code classes}, sorted.
   *
   * @param classes the build's output directory
   * @return the names; empty when no {@code @KongPlugin} class was compiled
   * @throws IOException when the directory cannot be read
   */
  public static List<String> in(Path classes) throws IOException {
    Path kong = classes.resolve("META-INF/kong");
    if (!Files.isDirectory(kong)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(kong)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("schema.json")))
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList();
    }
  }

  /**
   * The name the launcher takes: {@code configured} when given, else the only plugin's name.
   *
   * @param classes the build's output directory
   * @param configured the {@code name} parameter, or null
   * @return the launcher's file name
   * @throws IOException when the directory cannot be read
   * @throws IllegalStateException when no plugin was compiled, or several and none was chosen
   */
  public static String launcherName(Path classes, String configured) throws IOException {
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    List<String> names = in(classes);
    if (names.isEmpty()) {
      throw new IllegalStateException("no @KongPlugin class in " + classes + ": the annotation processor"
          + " (dev.kongpdk:pdk-processor) must run at compile time, for example as a provided dependency"
          + " with <maven.compiler.proc>full</maven.compiler.proc>");
    }
    if (names.size() > 1) {
      throw new IllegalStateException("this build has several plugins " + names
          + "; name the launcher with <configuration><name>...</name></configuration> (or -Dpdk.name=...)");
    }
    return names.get(0);
  }
}
