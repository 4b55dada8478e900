package dev.kongpdk.maven;

import dev.kongpdk.maven.internal.LauncherFile;
import dev.kongpdk.maven.internal.PluginNames;
import dev.kongpdk.maven.internal.RunnableJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * Builds what Kong runs, at {@code package}: {@code target/<name>.jar}, one runnable jar with the
 * plugin, the PDK and the plugin server, and {@code target/<name>}, the kit's launcher script with
 * that jar appended, which Kong starts as {@code /usr/local/bin/<name>}.
 *
 * <p>The name is the {@code @KongPlugin} name, read from what the annotation processor wrote; a
 * build with several plugins names its launcher with {@code name}. The launcher's path is set as
 * the project property {@code kongpdk.launcher}, for socket tests run by failsafe afterwards
 * (system property {@code kongpdk.server.command}).
 */
@Mojo(name = "launcher", defaultPhase = LifecyclePhase.PACKAGE,
    requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public final class LauncherMojo extends AbstractMojo {

  /** The project property that holds the launcher's path once it is built. */
  public static final String LAUNCHER_PROPERTY = "kongpdk.launcher";

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  /** The launcher's name; defaults to the name of the build's only {@code @KongPlugin}. */
  @Parameter(property = "pdk.name")
  private String name;

  /** Skips building the jar and the launcher. */
  @Parameter(property = "pdk.skip", defaultValue = "false")
  private boolean skip;

  @Override
  public void execute() throws MojoExecutionException {
    if (skip) {
      getLog().info("pdk:launcher skipped");
      return;
    }
    Path classes = Path.of(project.getBuild().getOutputDirectory());
    Path target = Path.of(project.getBuild().getDirectory());
    try {
      String launcherName = PluginNames.launcherName(classes, name);
      List<Path> dependencies = new ArrayList<>();
      Path bridge = null;
      for (Artifact artifact : project.getArtifacts()) {
        if (artifact.getFile() == null || !artifact.getArtifactHandler().isAddedToClasspath()) {
          continue;
        }
        dependencies.add(artifact.getFile().toPath());
        if ("dev.kongpdk".equals(artifact.getGroupId()) && "pdk-bridge".equals(artifact.getArtifactId())) {
          bridge = artifact.getFile().toPath();
        }
      }
      if (bridge == null) {
        throw new MojoExecutionException("dev.kongpdk:pdk-bridge is not a dependency of " + project.getId()
            + ": add it with <scope>runtime</scope>; it is the plugin server Kong starts");
      }
      Path jar = target.resolve(launcherName + ".jar");
      List<String> duplicates = RunnableJar.write(classes, dependencies, jar);
      if (!duplicates.isEmpty()) {
        getLog().debug("left out, an earlier input had them: " + duplicates);
      }
      Path launcher = target.resolve(launcherName);
      LauncherFile.write(LauncherFile.script(bridge), jar, launcher);
      project.getProperties().setProperty(LAUNCHER_PROPERTY, launcher.toAbsolutePath().toString());
      Path base = project.getBasedir().toPath();
      getLog().info("Launcher " + base.relativize(launcher) + ": Kong runs it as /usr/local/bin/" + launcherName);
      getLog().debug(launcher + ": " + Files.size(launcher) + " bytes");
    } catch (IOException | IllegalStateException e) {
      throw new MojoExecutionException(e.getMessage(), e);
    }
  }
}
