package dev.kongpdk.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kongpdk.plugin.Phase;
import dev.kongpdk.testkit.gateway.KongClientException;
import dev.kongpdk.testkit.gateway.ServerProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The command-line simulator: starts a plugin server, sends it one request the way Kong would,
 * answers its PDK calls with {@link FakeKong}, and prints every call with its answer and the
 * response the client would get.
 *
 * <pre>
 * java -cp pdk-testkit.jar:... dev.kongpdk.testkit.Simulator --jar my-plugin.jar \
 *     --config '{"message":"hi"}' --request "GET http://example.com/hello?x=1" --header "X-Name: alice"
 * </pre>
 *
 * <p>Options: {@code --jar PATH} (this kit's server from a plugin jar) or {@code --server-cmd
 * "CMD"} (any plugin server; {@code -kong-prefix DIR} is appended unless {@code --socket PATH} is
 * given), {@code --plugin NAME} (when the server has several), {@code --config JSON}, {@code
 * --request "METHOD URL"}, {@code --header "Name: value"} (repeatable), {@code --body TEXT}, {@code
 * --upstream-status N}, {@code --upstream-body TEXT}, {@code --timeout SECONDS}, {@code --help}.
 *
 * <p>Output: lines starting {@code >} are the client's request, then each PDK call, then lines
 * starting {@code >>} are the request Kong sent upstream, then lines starting {@code <} are the
 * response the client got and its body.
 */
public final class Simulator {

  private Simulator() {}

  /**
   * Runs the simulator and exits: 0 on success, 2 on bad arguments, 1 when the server failed.
   *
   * @param args the options above
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the simulator without exiting; what {@link #main} and the Maven plugin's {@code simulate}
   * goal call.
   *
   * @param args the options above
   * @param out where the exchange is printed
   * @param err where errors and the usage are printed
   * @return 0 on success (and for {@code --help}), 2 on bad arguments, 1 when the server failed
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      out.println(USAGE);
      return 0;
    }
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("simulator: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    Path dir = null;
    try {
      dir = Files.createTempDirectory("kong-sim");
      PluginInfo plugin = PluginInfo.fromDump(runDump(options), options.plugin);
      Path socket = options.socket.orElse(dir.resolve(plugin.name() + ".socket"));
      try (ServerProcess server = ServerProcess.start(options.serveCommand(dir, socket, plugin.name()), socket, options.timeout)) {
        TestResult result = PluginTester.forServedPlugin(plugin.name(), plugin.priority(), plugin.phases())
            .config(options.config)
            .request(options.request())
            .upstream(UpstreamResponse.status(options.upstreamStatus).body(options.upstreamBody))
            .runOverSocket(server);
        print(options.request(), result, out);
        return 0;
      }
    } catch (KongClientException | IOException | IllegalStateException | IllegalArgumentException e) {
      err.println("simulator: " + e.getMessage());
      return 1;
    } finally {
      deleteQuietly(dir);
    }
  }

  private static String runDump(Options options) throws IOException {
    List<String> command = new ArrayList<>(options.baseCommand());
    command.add("-dump");
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    Thread reader = Thread.ofVirtual().start(() -> {
      try (InputStream in = process.getInputStream()) {
        in.transferTo(stdout);
      } catch (IOException ignored) {
        // the process ended
      }
    });
    try {
      if (!process.waitFor(options.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException("'" + String.join(" ", command) + "' did not finish within " + options.timeout);
      }
      reader.join(options.timeout.toMillis());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for -dump", e);
    }
    return stdout.toString(StandardCharsets.UTF_8);
  }

  /** Prints the request, every PDK call with its answer, and the client response. */
  static void print(TestRequest request, TestResult result, PrintStream out) {
    out.println("> " + request.method() + " " + request.scheme() + "://" + request.host() + ":" + request.port()
        + request.rawPath() + (request.rawQuery().isEmpty() ? "" : "?" + request.rawQuery()));
    request.headers().asMap().forEach((name, values) -> values.forEach(v -> out.println("> " + name + ": " + v)));
    out.println();
    result.calls().forEach(out::println);
    result.logs().forEach(l -> out.println("[" + l.plugin() + ":" + l.phase() + "] log." + l.level() + ": " + l.message()));
    out.println();
    result.upstreamRequest().ifPresentOrElse(upstream -> {
      out.println(">> " + upstream.method() + " " + upstream.scheme() + "://" + upstream.host() + ":" + upstream.port()
          + upstream.pathWithQuery() + "   (the request sent upstream)");
      upstream.headers().asMap().forEach((name, values) -> values.forEach(v -> out.println(">> " + name + ": " + v)));
      if (upstream.body().length > 0) {
        out.println();
        out.println(upstream.bodyText());
      }
    }, () -> out.println(">> (nothing was sent upstream)"));
    out.println();
    ClientResponse response = result.response();
    out.println("< " + response.status() + " (" + response.source() + ")");
    response.headers().asMap().forEach((name, values) -> values.forEach(v -> out.println("< " + name + ": " + v)));
    out.println();
    out.println(response.bodyText());
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temp dir is harmless
    }
  }

  static final String USAGE = "usage: Simulator (--jar PATH | --server-cmd \"CMD\" [--socket PATH]) [--plugin NAME]"
      + " [--config JSON] [--request \"METHOD URL\"] [--header \"Name: value\"]... [--body TEXT]"
      + " [--upstream-status N] [--upstream-body TEXT] [--timeout SECONDS] [--help]";

  /** A plugin as a server's {@code -dump} describes it. */
  record PluginInfo(String name, int priority, List<Phase> phases) {

    /**
     * Reads Kong's dump format: {@code {"Plugins":[...]}} or a bare array of {@code {Name,
     * Priority, Phases}}.
     */
    static PluginInfo fromDump(String json, Optional<String> wanted) {
      JsonNode dump;
      try {
        dump = new ObjectMapper().readTree(json);
      } catch (IOException e) {
        throw new IllegalStateException("the server's -dump output is not JSON: " + e.getMessage()
            + "\n" + json.strip());
      }
      JsonNode plugins = dump == null ? null : dump.has("Plugins") ? dump.get("Plugins") : dump;
      if (plugins == null || !plugins.isArray() || plugins.isEmpty()) {
        throw new IllegalStateException("the server's -dump lists no plugins: " + json.strip());
      }
      List<String> names = new ArrayList<>();
      for (JsonNode p : plugins) {
        String name = p.path("Name").asText();
        names.add(name);
        if (wanted.isEmpty() || wanted.get().equals(name)) {
          if (wanted.isEmpty() && plugins.size() > 1) {
            throw new IllegalArgumentException("the server has several plugins " + namesOf(plugins) + "; choose one with --plugin");
          }
          List<Phase> phases = new ArrayList<>();
          for (JsonNode phase : p.path("Phases")) {
            phases.add(Phase.fromLuaName(phase.asText()));
          }
          return new PluginInfo(name, p.path("Priority").asInt(), phases);
        }
      }
      throw new IllegalArgumentException("the server has no plugin '" + wanted.get() + "'; it has " + names);
    }

    private static List<String> namesOf(JsonNode plugins) {
      List<String> names = new ArrayList<>();
      plugins.forEach(p -> names.add(p.path("Name").asText()));
      return names;
    }
  }

  /** The parsed command line. */
  static final class Options {
    Optional<String> jar = Optional.empty();
    Optional<String> serverCommand = Optional.empty();
    Optional<Path> socket = Optional.empty();
    Optional<String> plugin = Optional.empty();
    String config = "{}";
    String method = "GET";
    String url = "http://localhost/";
    final List<String[]> headers = new ArrayList<>();
    String body = "";
    int upstreamStatus = 200;
    String upstreamBody = "";
    Duration timeout = Duration.ofSeconds(10);

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag + " needs a value");
        }
        String value = args[++i];
        switch (flag) {
          case "--jar" -> o.jar = Optional.of(value);
          case "--server-cmd" -> o.serverCommand = Optional.of(value);
          case "--socket" -> o.socket = Optional.of(Path.of(value));
          case "--plugin" -> o.plugin = Optional.of(value);
          case "--config" -> o.config = value;
          case "--request" -> {
            String[] parts = value.trim().split("\\s+");
            if (parts.length != 2) {
              throw new IllegalArgumentException("--request must be \"METHOD URL\", got '" + value + "'");
            }
            o.method = parts[0];
            o.url = parts[1];
          }
          case "--header" -> {
            int colon = value.indexOf(':');
            if (colon <= 0) {
              throw new IllegalArgumentException("--header must be \"Name: value\", got '" + value + "'");
            }
            o.headers.add(new String[] {value.substring(0, colon).trim(), value.substring(colon + 1).trim()});
          }
          case "--body" -> o.body = value;
          case "--upstream-status" -> o.upstreamStatus = integer(flag, value);
          case "--upstream-body" -> o.upstreamBody = value;
          case "--timeout" -> o.timeout = Duration.ofSeconds(integer(flag, value));
          default -> throw new IllegalArgumentException("unknown option " + flag);
        }
      }
      if (o.jar.isPresent() == o.serverCommand.isPresent()) {
        throw new IllegalArgumentException("give exactly one of --jar and --server-cmd");
      }
      if (o.jar.isPresent() && o.socket.isPresent()) {
        throw new IllegalArgumentException("--socket goes with --server-cmd; with --jar the simulator chooses the socket");
      }
      o.request(); // reports a bad URL now
      return o;
    }

    private static int integer(String flag, String value) {
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + " must be a number, got '" + value + "'");
      }
    }

    TestRequest request() {
      TestRequest.Builder b = TestRequest.builder(method, url);
      headers.forEach(h -> b.header(h[0], h[1]));
      if (!body.isEmpty()) {
        b.body(body);
      }
      return b.build();
    }

    /** The command without serving flags: the one {@code -dump} is appended to. */
    List<String> baseCommand() {
      if (jar.isPresent()) {
        return ServerProcess.javaCommand(jar.get());
      }
      return List.of(serverCommand.get().trim().split("\\s+"));
    }

    /** The command that serves {@code plugin} on {@code socket}. */
    List<String> serveCommand(Path dir, Path socketPath, String pluginName) {
      List<String> command = new ArrayList<>(baseCommand());
      if (jar.isPresent()) {
        command.addAll(List.of("--kong-prefix", dir.toString(), "--socket", socketPath.toString(), "--plugin", pluginName));
      } else if (socket.isEmpty()) {
        command.addAll(List.of("-kong-prefix", dir.toString()));
      }
      return command;
    }
  }
}
