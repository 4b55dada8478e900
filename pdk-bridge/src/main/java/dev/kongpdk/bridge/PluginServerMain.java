package dev.kongpdk.bridge;

import dev.kongpdk.bridge.internal.PluginDump;
import dev.kongpdk.plugin.PluginDescriptor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import sun.misc.Signal;

/**
 * The plugin server's command line, compatible with Kong's defaults and go-pdk's flags.
 *
 * <pre>
 *   hello -dump                     print the plugin info Kong's query command reads, then exit
 *   hello [-kong-prefix DIR]        serve on DIR/&lt;plugin&gt;.socket (DIR defaults to /usr/local/kong)
 *   hello --socket PATH             serve on PATH
 * </pre>
 *
 * <p>Plugins are found with {@link ServiceLoader} from the descriptors the annotation processor
 * generated. Only {@code -dump} writes to standard output; logs go to standard error, which Kong
 * copies into its error log. SIGTERM (sent by Kong 3.x when it stops) drains events in flight,
 * removes the socket and exits with status 0. The server also stops when the process that started
 * it exits, since Kong 2.8 never stops its plugin servers.
 */
public final class PluginServerMain {

  static final String USAGE =
      """
      Usage: <plugin-server> [options]
        -dump                   print the plugin info JSON for Kong's query command and exit
        -kong-prefix DIR        Kong's prefix; the socket is DIR/<plugin>.socket (default /usr/local/kong)
        --socket PATH           listen on PATH instead
        --plugin NAME           serve only this plugin (when the jar holds several)
        --kong-read-timeout T   Kong's lua_socket_read_timeout (default 60s; nginx syntax: 90s, 2m,
                                500ms); a handler that runs longer than 5 s less (55 s by default)
                                without calling Kong is answered with the plugin's failure policy
                                (500, or the request goes on for a fail-open plugin) before Kong
                                gives up on it
        --event-timeout T       set that limit directly instead (seconds, or nginx syntax); keep it
                                below Kong's read timeout
        --max-events N          the most events in flight; beyond it new events are answered with
                                the plugin's failure policy (default: from the heap, 990 for 128m)
        --socket-group GROUP    let members of GROUP connect too (default: owner only)
        --peer-user USER        accept connections only from processes running as USER
        --jmx                   publish the server's counters over JMX (dev.kongpdk:type=PluginServer)
        -h, --help              show this help
      Options may be written with one or two dashes.""";

  private PluginServerMain() {}

  /** Runs the command line; see the class description. */
  public static void main(String[] args) {
    System.setProperty(
        "java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s [%3$s] %5$s%6$s%n");
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println(USAGE);
      return 2;
    }
    if (options.help) {
      out.println(USAGE);
      return 0;
    }
    List<PluginDescriptor> plugins;
    try {
      plugins = select(discover(), options.plugin);
    } catch (IllegalStateException e) {
      err.println(e.getMessage());
      return 1;
    }
    if (options.dump) {
      String dump;
      try {
        dump = PluginDump.json(plugins);
      } catch (IllegalStateException e) {
        err.println(e.getMessage());
        return 1;
      }
      out.println(dump);
      out.flush();
      return 0;
    }
    Path socket;
    if (options.socket != null) {
      socket = Path.of(options.socket);
    } else if (plugins.size() == 1) {
      socket = Path.of(options.kongPrefix, plugins.get(0).name() + ".socket");
    } else {
      err.println("this jar holds several plugins; choose one with --plugin NAME or set --socket PATH");
      return 2;
    }
    PluginServer server;
    try {
      PluginServer.Builder builder =
          PluginServer.builder()
              .plugins(plugins)
              .socket(socket)
              .socketGroup(options.socketGroup)
              .peerUser(options.peerUser)
              .jmx(options.jmx);
      if (options.kongReadTimeout != null) {
        builder.kongReadTimeout(options.kongReadTimeout);
      }
      if (options.eventTimeout != null) {
        builder.eventTimeout(options.eventTimeout);
      }
      if (options.maxEvents > 0) {
        builder.maxEventsInFlight(options.maxEvents);
      }
      server = builder.start();
    } catch (IOException | IllegalStateException e) {
      err.println(e.getMessage());
      return 1;
    }
    Signal.handle(new Signal("TERM"), signal -> Thread.ofPlatform().start(server::close));
    Signal.handle(new Signal("INT"), signal -> Thread.ofPlatform().start(server::close));
    ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(server::close));
    try {
      server.awaitClose();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.close();
    }
    return 0;
  }

  private static List<PluginDescriptor> discover() {
    List<PluginDescriptor> plugins = new ArrayList<>();
    ServiceLoader.load(PluginDescriptor.class).forEach(plugins::add);
    if (plugins.isEmpty()) {
      throw new IllegalStateException(
          "no Kong plugin found on the class path: annotate the plugin class with @KongPlugin and"
              + " put dev.kongpdk:pdk-processor on the annotation processor path");
    }
    return plugins;
  }

  private static List<PluginDescriptor> select(List<PluginDescriptor> plugins, String name) {
    if (name == null) {
      return plugins;
    }
    for (PluginDescriptor plugin : plugins) {
      if (plugin.name().equals(name)) {
        return List.of(plugin);
      }
    }
    throw new IllegalStateException("no plugin named '" + name + "'; this jar holds "
        + String.join(", ", plugins.stream().map(PluginDescriptor::name).toList()));
  }

  /** Parsed command-line options. */
  static final class Options {
    boolean dump;
    boolean help;
    String kongPrefix = "/usr/local/kong";
    String socket;
    String plugin;
    String socketGroup;
    String peerUser;
    boolean jmx;
    Duration kongReadTimeout;
    Duration eventTimeout;
    int maxEvents;

    static Options parse(String[] args) {
      Options options = new Options();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        String name = arg.startsWith("--") ? arg.substring(2) : arg.startsWith("-") ? arg.substring(1) : null;
        if (name == null) {
          throw new IllegalArgumentException("unexpected argument '" + arg + "'");
        }
        String value = null;
        int eq = name.indexOf('=');
        if (eq >= 0) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
        switch (name) {
          case "dump" -> options.dump = true;
          case "jmx" -> options.jmx = true;
          case "h", "help" -> options.help = true;
          case "kong-prefix" -> options.kongPrefix = value != null ? value : next(args, ++i, arg);
          case "socket" -> options.socket = value != null ? value : next(args, ++i, arg);
          case "plugin" -> options.plugin = value != null ? value : next(args, ++i, arg);
          case "socket-group" -> options.socketGroup = value != null ? value : next(args, ++i, arg);
          case "peer-user" -> options.peerUser = value != null ? value : next(args, ++i, arg);
          case "event-timeout" ->
              options.eventTimeout = duration(value != null ? value : next(args, ++i, arg), arg);
          case "kong-read-timeout" ->
              options.kongReadTimeout = duration(value != null ? value : next(args, ++i, arg), arg);
          case "max-events" -> {
            String text = value != null ? value : next(args, ++i, arg);
            try {
              options.maxEvents = Integer.parseInt(text);
            } catch (NumberFormatException e) {
              options.maxEvents = 0;
            }
            if (options.maxEvents < 1) {
              throw new IllegalArgumentException(arg + " needs a positive number, got '" + text + "'");
            }
          }
          default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
        }
      }
      return options;
    }

    /**
     * Parses a time the way nginx writes it in {@code lua_socket_read_timeout}: a number of
     * seconds, or a number with the unit {@code ms}, {@code s}, {@code m} or {@code h}.
     */
    static Duration duration(String text, String option) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("([0-9]{1,9})(ms|s|m|h)?").matcher(text.trim());
      if (!m.matches()) {
        throw new IllegalArgumentException(option + " needs a time such as 60, 60s, 500ms or 2m,"
            + " got '" + text + "'");
      }
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      Duration d = switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofSeconds(n);
      };
      if (d.isZero()) {
        throw new IllegalArgumentException(option + " must be positive");
      }
      return d;
    }

    private static String next(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }
  }
}
