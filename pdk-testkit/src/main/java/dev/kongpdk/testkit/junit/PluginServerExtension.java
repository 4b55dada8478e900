package dev.kongpdk.testkit.junit;

import dev.kongpdk.testkit.gateway.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that hands tests a running plugin server ({@link ServerProcess}), started once
 * per test class and stopped after it:
 *
 * <pre>{@code
 * @ExtendWith(PluginServerExtension.class)
 * class HelloSocketIT {
 *   @Test
 *   void greets(ServerProcess server) {
 *     TestResult r = PluginTester.forPlugin(Hello.class).runOverSocket(server);
 *   }
 * }
 * }</pre>
 *
 * <p>The server is this kit's plugin server on the test class path, serving every plugin found
 * there. Set the system property {@value #COMMAND_PROPERTY} to a command (for example a packaged
 * launcher) to start that instead; the extension appends {@code --socket PATH}.
 */
public final class PluginServerExtension implements ParameterResolver {

  /** System property with a server command to use instead of the test class path. */
  public static final String COMMAND_PROPERTY = "kongpdk.server.command";

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PluginServerExtension.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ServerProcess.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext classContext = context.getTestClass().isPresent() && context.getTestMethod().isPresent()
        ? context.getParent().orElse(context) : context;
    return classContext.getStore(NAMESPACE)
        .getOrComputeIfAbsent(RunningServer.class, key -> RunningServer.start(), RunningServer.class)
        .server;
  }

  /** A server with its directory, closed by JUnit when the class is done. */
  private static final class RunningServer implements AutoCloseable {
    private final ServerProcess server;
    private final Path directory;

    private RunningServer(ServerProcess server, Path directory) {
      this.server = server;
      this.directory = directory;
    }

    static RunningServer start() {
      Path directory;
      try {
        directory = Files.createTempDirectory("kong-plugins");
      } catch (IOException e) {
        throw new IllegalStateException("cannot create a directory for the plugin server socket", e);
      }
      Path socket = directory.resolve("plugins.socket");
      String custom = System.getProperty(COMMAND_PROPERTY);
      List<String> command;
      if (custom != null && !custom.isBlank()) {
        command = new ArrayList<>(List.of(custom.trim().split("\\s+")));
        command.addAll(List.of("--socket", socket.toString()));
      } else {
        command = ServerProcess.javaCommand(System.getProperty("java.class.path"), "--socket", socket.toString());
      }
      return new RunningServer(ServerProcess.start(command, socket, START_TIMEOUT), directory);
    }

    @Override
    public void close() throws IOException {
      server.close();
      Files.deleteIfExists(server.socket());
      Files.deleteIfExists(directory);
    }
  }
}
