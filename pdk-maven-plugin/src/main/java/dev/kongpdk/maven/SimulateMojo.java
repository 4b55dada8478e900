package dev.kongpdk.maven;

import dev.kongpdk.maven.internal.Launchers;
import dev.kongpdk.testkit.Simulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Sends one request through the packaged launcher, started as Kong starts it, with the testkit's
 * simulated Kong answering its PDK calls; prints the request, every PDK call with its answer, the
 * request that went upstream and the client's response.
 *
 * <pre>
 * mvn package pdk:simulate -Dpdk.config='{"message":"hi"}' -Dpdk.request="GET http://example.com/"
 * </pre>
 */
@Mojo(name = "simulate", threadSafe = true)
public final class SimulateMojo extends AbstractMojo {

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

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
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      status = Simulator.run(args.toArray(String[]::new), o, e);
    }
    out.toString(StandardCharsets.UTF_8).lines().forEach(getLog()::info);
    err.toString(StandardCharsets.UTF_8).lines().forEach(getLog()::error);
    if (status != 0) {
      throw new MojoFailureException("the simulated request failed (see above)");
    }
  }
}
