package dev.kongpdk.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.testkit.gateway.KongClient;
import dev.kongpdk.testkit.gateway.ServerProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real plugin server process started with {@code --metrics-statsd}: events driven over its socket,
 * then the StatsD lines it pushes received on a UDP socket and added up.
 */
class StatsdPushTest {

  /** One StatsD line: name, tags, value and type ({@code c}, {@code ms}, {@code g}, ...). */
  record Line(String name, Map<String, String> tags, double value, String type) {

    /** Parses the Datadog ({@code name:1|c|#k:v,k:v}) and Telegraf ({@code name,k=v,k=v:1|c}) forms. */
    static Line parse(String text) {
      String[] parts = text.split("\\|");
      Map<String, String> tags = new TreeMap<>();
      for (String part : parts) {
        if (part.startsWith("#")) {
          for (String tag : part.substring(1).split(",")) {
            int colon = tag.indexOf(':');
            tags.put(tag.substring(0, colon), tag.substring(colon + 1));
          }
        }
      }
      String head = parts[0];
      int colon = head.lastIndexOf(':');
      String[] nameAndTags = head.substring(0, colon).split(",");
      for (int i = 1; i < nameAndTags.length; i++) {
        int eq = nameAndTags[i].indexOf('=');
        tags.put(nameAndTags[i].substring(0, eq), nameAndTags[i].substring(eq + 1));
      }
      // Datadog keeps Micrometer's dotted names, Telegraf writes them in snake case.
      return new Line(nameAndTags[0].replace('_', '.'), tags,
          Double.parseDouble(head.substring(colon + 1)), parts[1]);
    }

    boolean is(String name, String type, String... tagPairs) {
      if (!this.name.equals(name) || !this.type.equals(type)) {
        return false;
      }
      for (int i = 0; i < tagPairs.length; i += 2) {
        if (!tagPairs[i + 1].equals(tags.get(tagPairs[i]))) {
          return false;
        }
      }
      return true;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"datadog", "telegraf"})
  void theServerPushesTheSameMetersAsStatsdLines(String flavor) throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "statsd");
    try (DatagramChannel udp = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        Selector selector = Selector.open()) {
      udp.configureBlocking(false);
      udp.register(selector, SelectionKey.OP_READ);
      int port = ((InetSocketAddress) udp.getLocalAddress()).getPort();
      try (ServerProcess server = PrometheusScrapeTest.start(dir, "--metrics-statsd", "127.0.0.1:" + port,
              "--metrics-statsd-flavor", flavor, "--metrics-step", "1");
          KongClient kong = KongClient.connect(server.socket(), KongClient.Options.defaults())) {
        long id = kong.startInstance("outcomes", "{}");
        for (String outcome : List.of("complete", "exit", "fail")) {
          kong.handleEvent(id, "access", (method, args) -> PrometheusScrapeTest.answer(outcome, method));
        }

        String[] access = {"plugin", "outcomes", "phase", "access"};
        List<Line> lines = new ArrayList<>();
        Predicate<List<Line>> complete = all ->
            sum(all, "kong.pdk.events.started", "c", access) == 3
                && sum(all, "kong.pdk.events.ended", "c", "outcome", "exited") == 2
                && count(all, "kong.pdk.event.duration", "ms", access) == 3
                && sum(all, "kong.plugin.requests.seen", "c", "plugin", "outcomes") == 3
                && count(all, "kong.pdk.connections.open", "g") > 0
                && count(all, "jvm.memory.used", "g") > 0;
        receive(udp, selector, lines, complete, Duration.ofSeconds(20));

        assertEquals(3, sum(lines, "kong.pdk.events.started", "c", access), () -> dump(lines));
        assertEquals(1, sum(lines, "kong.pdk.events.ended", "c", PrometheusScrapeTest.with(access, "outcome", "completed")));
        assertEquals(2, sum(lines, "kong.pdk.events.ended", "c", PrometheusScrapeTest.with(access, "outcome", "exited")));
        assertEquals(1, sum(lines, "kong.pdk.events.failed", "c", access));
        assertEquals(3, count(lines, "kong.pdk.event.duration", "ms", access));
        assertEquals(3, count(lines, "kong.pdk.calls", "ms", PrometheusScrapeTest.with(access, "method", "kong.request.get_header")));
        assertEquals(1, sum(lines, "kong.pdk.instances.started", "c", "plugin", "outcomes"));
        assertEquals(3, sum(lines, "kong.plugin.requests.seen", "c", "plugin", "outcomes"));
        assertTrue(count(lines, "kong.pdk.connections.open", "g") > 0, () -> dump(lines));
        assertTrue(count(lines, "jvm.memory.used", "g") > 0);
      }
    } finally {
      Files.deleteIfExists(dir);
    }
  }

  private static void receive(DatagramChannel udp, Selector selector, List<Line> lines,
      Predicate<List<Line>> enough, Duration wait) throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    ByteBuffer packet = ByteBuffer.allocate(65536);
    while (!enough.test(lines)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return; // the assertions say what is missing
      }
      selector.select(Math.max(1, left / 1_000_000));
      selector.selectedKeys().clear();
      while (udp.receive(packet.clear()) != null) {
        packet.flip();
        for (String line : StandardCharsets.UTF_8.decode(packet).toString().split("\n")) {
          if (!line.isBlank()) {
            lines.add(Line.parse(line));
          }
        }
      }
    }
  }

  private static double sum(List<Line> lines, String name, String type, String... tags) {
    return lines.stream().filter(l -> l.is(name, type, tags)).mapToDouble(Line::value).sum();
  }

  private static long count(List<Line> lines, String name, String type, String... tags) {
    return lines.stream().filter(l -> l.is(name, type, tags)).count();
  }

  private static String dump(List<Line> lines) {
    StringBuilder text = new StringBuilder();
    lines.stream().filter(l -> l.name().startsWith("kong.")).forEach(l -> text.append(l).append('\n'));
    return text.toString();
  }
}
