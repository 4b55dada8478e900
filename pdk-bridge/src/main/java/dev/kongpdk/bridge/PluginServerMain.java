package dev.kongpdk.bridge;

import dev.kongpdk.bridge.internal.ParentWatch;
import dev.kongpdk.bridge.internal.PluginDump;
import dev.kongpdk.plugin.PluginDescriptor;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * The plugin server's command line, compatible with Kong's defaults and go-pdk's flags.
 *
 * <pre>
 *   hello -dump                     print the plugin info Kong's query command reads, then exit
 *   hello [-kong-prefix DIR]        serve on DIR/&lt;plugin&gt;.socket (DIR defaults to /usr/local/kong)
 *   hello --socket PATH             serve on PATH
 *   hello --metrics-prometheus 9542 also serve /metrics (with dev.kongpdk:pdk-metrics on the class path)
 * </pre>
 *
 * <p>Plugins are found with {@link ServiceLoader} from the descriptors the annotation processor
 * generated. Only {@code -dump} writes to standard output; logs go to standard error, which Kong
 * copies into its error log. SIGTERM (sent by Kong 3.x when it stops) drains events in flight,
 * removes the socket and exits with status 0. The server also stops when the process that started
 * it exits, since Kong 2.8 never stops its plugin servers ({@link ParentWatch}: a failure to read
 * {@code /proc}, as when out of file descriptors, is not taken for that exit).
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
                                the plugin's failure policy (default: from the heap, 247 for 128m)
        --socket-group GROUP    let members of GROUP connect too (default: owner only)
        --peer-user USER        accept connections only from processes running as USER
      Limits on what a client of the socket can make the server hold (defaults derived from the
      heap, shown for the launcher's 128 MiB; SIZE in bytes, or with a k, m or g suffix):
        --max-connections N     connections served at once; more are shed with the plugin's
                                failure policy (default: heap / 64 KiB, at most a quarter of the
                                open-file limit: 2048)
        --read-timeout T        a started message must arrive within this (default 10s; seconds,
                                or nginx syntax)
        --max-message-bytes SIZE      one message on the wire (default heap / 8: 16m)
        --max-decoded-bytes SIZE      one message's decoded objects, estimated (heap / 4: 32m)
        --max-buffered-bytes SIZE     all connections' messages together (heap / 2: 64m)
        --max-config-bytes SIZE       one plugin config (heap / 64: 2m)
        --max-total-config-bytes SIZE all live instances' configs, each at least 1k (heap / 8: 16m)
        --jmx                   publish the server's counters over JMX (dev.kongpdk:type=PluginServer)
        --metrics-prometheus [HOST:]PORT
                                serve /metrics in the Prometheus text format (HOST 127.0.0.1 unless
                                given; needs the dev.kongpdk:pdk-metrics module)
        --metrics-statsd [HOST:]PORT
                                push the same meters to a StatsD agent over UDP (needs pdk-metrics)
        --metrics-statsd-flavor NAME
                                datadog (default), telegraf or etsy
        --metrics-step SECS     how often StatsD gauges are pushed (default 10)
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
    ServerObserver observer;
    try {
      observer = observer(options.metrics);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    } catch (UncheckedIOException | IllegalStateException e) {
      err.println(e.getMessage());
      return 1;
    }
    PluginServer server;
    try {
      PluginServer.Builder builder =
          PluginServer.builder()
              .plugins(plugins)
              .socket(socket)
              .socketGroup(options.socketGroup)
              .peerUser(options.peerUser)
              .jmx(options.jmx)
              .observer(observer);
      if (options.kongReadTimeout != null) {
        builder.kongReadTimeout(options.kongReadTimeout);
      }
      if (options.eventTimeout != null) {
        builder.eventTimeout(options.eventTimeout);
      }
      options.limits.forEach(setting -> setting.accept(builder));
      server = builder.start();
    } catch (IllegalArgumentException e) {
      observer.close();
      err.println(e.getMessage());
      return 2;
    } catch (IOException | IllegalStateException e) {
      observer.close();
      err.println(e.getMessage());
      return 1;
    }
    Signal.handle(new Signal("TERM"), signal -> Thread.ofPlatform().start(server::close));
    Signal.handle(new Signal("INT"), signal -> Thread.ofPlatform().start(server::close));
    try (ParentWatch watch = ParentWatch.start(server::close, Duration.ofSeconds(1))) {
      server.awaitClose();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.close();
    }
    return 0;
  }

  /**
   * Creates the observer the {@code --metrics-*} options ask for, from the metrics module found on
   * the class path; without such options nothing is looked up (no metrics code is loaded).
   */
  private static ServerObserver observer(Map<String, String> metrics) {
    if (metrics.isEmpty()) {
      return ServerObserver.NONE;
    }
    Iterator<ServerObserverFactory> factories = ServiceLoader.load(ServerObserverFactory.class).iterator();
    if (!factories.hasNext()) {
      throw new IllegalArgumentException("--metrics-" + metrics.keySet().iterator().next()
          + " needs the metrics module on the class path: add the dependency"
          + " dev.kongpdk:pdk-metrics (runtime scope) to the plugin's pom and rebuild its jar");
    }
    return factories.next().create(metrics);
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
    /** The --metrics-* options, without the prefix: the metrics module checks them. */
    final Map<String, String> metrics = new LinkedHashMap<>();
    /** The limits set on the command line, applied to the builder in order. */
    final List<Consumer<PluginServer.Builder>> limits = new ArrayList<>();

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
              options.eventTimeout = duration(name, value != null ? value : next(args, ++i, arg));
          case "kong-read-timeout" ->
              options.kongReadTimeout = duration(name, value != null ? value : next(args, ++i, arg));
          case "max-events" -> {
            long n = number(name, value != null ? value : next(args, ++i, arg));
            options.limits.add(b -> b.maxEventsInFlight((int) Math.min(n, Integer.MAX_VALUE)));
          }
          case "max-connections" -> {
            long n = number(name, value != null ? value : next(args, ++i, arg));
            options.limits.add(b -> b.maxConnections((int) Math.min(n, Integer.MAX_VALUE)));
          }
          case "read-timeout" -> {
            Duration timeout = duration(name, value != null ? value : next(args, ++i, arg));
            options.limits.add(b -> b.readTimeout(timeout));
          }
          case "max-message-bytes" -> {
            long n = size(name, value != null ? value : next(args, ++i, arg));
            options.limits.add(b -> b.maxMessageBytes((int) Math.min(n, Integer.MAX_VALUE - 8)));
          }
          case "max-decoded-bytes" -> {
            long n = size(name, value != null ? value : next(args, ++i, arg));
            options.limits.add(b -> b.maxDecodedBytes(n));
          }
          case "max-buffered-bytes" -> {
            long n = size(name, value != null ? value : next(args, ++i, arg));
            options.limits.add(b -> b.maxBufferedBytes(n));
          }
          case "max-config-bytes" -> {
            long n = size(name, value != null ? value : next(args, ++i, arg));
            options.limits.add(b -> b.maxConfigBytes((int) Math.min(n, Integer.MAX_VALUE)));
          }
          case "max-total-config-bytes" -> {
            long n = size(name, value != null ? value : next(args, ++i, arg));
            options.limits.add(b -> b.maxTotalConfigBytes(n));
          }
          default -> {
            if (!name.startsWith("metrics-") || name.length() == "metrics-".length()) {
              throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
            options.metrics.put(name.substring("metrics-".length()), value != null ? value : next(args, ++i, arg));
          }
        }
      }
      return options;
    }

    /** A positive whole number. */
    private static long number(String option, String text) {
      long n;
      try {
        n = Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + option + " needs a whole number, got '" + text + "'");
      }
      if (n <= 0) {
        throw new IllegalArgumentException("--" + option + " must be positive");
      }
      return n;
    }

    /** A positive size in bytes, with an optional k, m or g suffix (powers of 1024). */
    private static long size(String option, String text) {
      String digits = text.toLowerCase(java.util.Locale.ROOT);
      int shift = switch (digits.isEmpty() ? ' ' : digits.charAt(digits.length() - 1)) {
        case 'k' -> 10;
        case 'm' -> 20;
        case 'g' -> 30;
        default -> 0;
      };
      if (shift > 0) {
        digits = digits.substring(0, digits.length() - 1);
      }
      long n;
      try {
        n = Long.parseLong(digits);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--" + option + " needs a size in bytes (for example 16m), got '" + text + "'");
      }
      if (n <= 0 || n > (Long.MAX_VALUE >> shift)) {
        throw new IllegalArgumentException("--" + option + " must be a positive size");
      }
      return n << shift;
    }

    /**
     * Parses a time the way nginx writes it in {@code lua_socket_read_timeout}: a number of
     * seconds, or a number with the unit {@code ms}, {@code s}, {@code m} or {@code h}.
     */
    private static Duration duration(String option, String text) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("([0-9]{1,9})(ms|s|m|h)?").matcher(text.trim());
      if (!m.matches()) {
        throw new IllegalArgumentException("--" + option + " needs a time such as 60, 60s, 500ms"
            + " or 2m, got '" + text + "'");
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
        throw new IllegalArgumentException("--" + option + " must be positive");
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
