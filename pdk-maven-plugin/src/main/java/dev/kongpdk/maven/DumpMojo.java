package dev.kongpdk.maven;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kongpdk.maven.internal.Launchers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Prints what Kong's query command reads from the packaged launcher ({@code target/<name> -dump}):
 * indented for reading, or with {@code -Dpdk.raw} exactly as Kong gets it. The dump goes to
 * standard output, like the launcher's, so {@code mvn -q pdk:dump} can be piped.
 */
@Mojo(name = "dump", threadSafe = true)
public final class DumpMojo extends AbstractMojo {

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  /** The launcher's name; defaults to the name of the build's only {@code @KongPlugin}. */
  @Parameter(property = "pdk.name")
  private String name;

  /** Print the bytes Kong reads instead of indented JSON. */
  @Parameter(property = "pdk.raw", defaultValue = "false")
  private boolean raw;

  /** Seconds to wait for the launcher. */
  @Parameter(property = "pdk.timeout", defaultValue = "60")
  private int timeout;

  @Override
  public void execute() throws MojoExecutionException {
    try {
      Path launcher = Launchers.built(Path.of(project.getBuild().getOutputDirectory()),
          Path.of(project.getBuild().getDirectory()), name);
      Process process = new ProcessBuilder(launcher.toString(), "-dump")
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      process.getOutputStream().close();
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      Thread reader = Thread.ofPlatform().daemon().start(() -> {
        try (InputStream in = process.getInputStream()) {
          in.transferTo(stdout);
        } catch (IOException ignored) {
          // the process ended; what was read is kept
        }
      });
      if (!process.waitFor(timeout, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new MojoExecutionException(launcher + " -dump did not finish within " + timeout + " s");
      }
      reader.join(TimeUnit.SECONDS.toMillis(timeout));
      String dump = stdout.toString(StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new MojoExecutionException(launcher + " -dump exited with " + process.exitValue());
      }
      // The dump is this goal's output, on standard output as the launcher prints it.
      PrintStream out = System.out;
      if (raw) {
        out.print(dump);
      } else {
        JsonNode json = new ObjectMapper().readTree(dump);
        out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
      }
      out.flush();
    } catch (IOException | IllegalStateException e) {
      throw new MojoExecutionException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MojoExecutionException("interrupted while waiting for -dump", e);
    }
  }
}
