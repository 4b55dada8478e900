package dev.kongpdk.maven;

import dev.kongpdk.maven.internal.Launchers;
import dev.kongpdk.testkit.Simulator;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Sends one request through the packaged launcher, started as Kong starts it ({@code target/<name>
 * -kong-prefix DIR}), with the testkit's simulated Kong answering its PDK calls over the Unix
 * socket; prints the request, every PDK call with its answer, the request that went upstream and
 * the client's response, on standard output (so {@code mvn -q} shows just that).
 *
 * <pre>
 * mvn package pdk:simulate -Dpdk.config='{"message":"hi"}' -Dpdk.request="GET http://example.com/"
 * </pre>
 */
@Mojo(name = "simulate", threadSafe = true)
public final class SimulateMojo extends AbstractMojo {

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
  private PluginDescriptor plugin;

  /** The launcher's name; defaults to the name of the build's only {@code @KongPlugin}. */
  @Parameter(property = "pdk.name")
  private String name;

  /** The plugin's config, as JSON. */
  @Parameter(property = "pdk.config", defaultValue = "{}")
  private String config;

  /** The client's request: {@code METHOD URL}. */
  @Parameter(property = "pdk.request", defaultValue = "GET http://localhost/")
  private String request;

  /** Request headers, each {@code Name: value} (comma-separated on the command line). */
  @Parameter(property = "pdk.headers")
  private List<String> headers;

  /** The request body. */
  @Parameter(property = "pdk.body")
  private String body;

  /** The status the simulated upstream answers with. */
  @Parameter(property = "pdk.upstreamStatus", defaultValue = "200")
  private int upstreamStatus;

  /** The body the simulated upstream answers with. */
  @Parameter(property = "pdk.upstreamBody")
  private String upstreamBody;

  /** Seconds to wait for the server at each step. */
  @Parameter(property = "pdk.timeout", defaultValue = "30")
  private int timeout;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    Path launcher;
    try {
      launcher = Launchers.built(Path.of(project.getBuild().getOutputDirectory()),
          Path.of(project.getBuild().getDirectory()), name);
    } catch (IOException | IllegalStateException e) {
      throw new MojoExecutionException(e.getMessage(), e);
    }
    List<String> args = new ArrayList<>(List.of("--server-cmd", launcher.toString(), "--config", config,
        "--request", request, "--upstream-status", Integer.toString(upstreamStatus),
        "--timeout", Integer.toString(timeout)));
    if (headers != null) {
      headers.forEach(h -> args.addAll(List.of("--header", h)));
    }
    if (body != null) {
      args.addAll(List.of("--body", body));
    }
    if (upstreamBody != null) {
      args.addAll(List.of("--upstream-body", upstreamBody));
    }
    // The simulator runs in its own JVM, on this plugin's class path: its output goes straight to
    // standard output, and Java 23+ is told to allow msgpack-core's Unsafe use (no warning).
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (Runtime.version().feature() >= 23) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(List.of("-cp", classPath(), Simulator.class.getName()));
    command.addAll(args);
    int status;
    try {
      Process process = new ProcessBuilder(command).inheritIO().start();
      status = process.waitFor();
    } catch (IOException e) {
      throw new MojoExecutionException("cannot start the simulator: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MojoExecutionException("interrupted while the simulator ran", e);
    }
    if (status == 2) {
      throw new MojoExecutionException("the simulator refused its arguments (see above)");
    }
    if (status != 0) {
      throw new MojoFailureException("the simulated request failed (see above)");
    }
  }

  private String classPath() {
    return plugin.getArtifacts().stream()
        .map(a -> a.getFile().getAbsolutePath())
        .collect(Collectors.joining(File.pathSeparator));
  }
}
