package dev.kongpdk.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the conformance table into a Markdown page, between the generated-block markers, from
 * the results files of one or more runs (one per Kong version). The rest of the page is kept.
 *
 * <pre>
 *   ConformanceTable docs/conformance.md conformance/target/results-3.9.3.json conformance/target/results-2.8.5.json
 * </pre>
 */
public final class ConformanceTable {

  static final String BEGIN = "<!-- BEGIN GENERATED: conformance/run.sh -->";
  static final String END = "<!-- END GENERATED -->";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ConformanceTable() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: ConformanceTable PAGE.md RESULTS.json...");
      System.exit(2);
    }
    List<JsonNode> runs = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      runs.add(JSON.readTree(Path.of(args[i]).toFile()));
    }
    runs.sort((a, b) -> b.path("kong").asText().compareTo(a.path("kong").asText()));
    Path page = Path.of(args[0]);
    String text = Files.exists(page) ? Files.readString(page, StandardCharsets.UTF_8) : BEGIN + "\n" + END + "\n";
    Files.writeString(page, splice(text, table(runs)), StandardCharsets.UTF_8);
  }

  /** Replaces the generated block of {@code page} with {@code block}. */
  static String splice(String page, String block) {
    int begin = page.indexOf(BEGIN);
    int end = page.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException("the page has no " + BEGIN + " ... " + END + " block");
    }
    return page.substring(0, begin + BEGIN.length()) + "\n" + block + page.substring(end);
  }

  /** The generated block: a summary per run and one line per method and phase. */
  static String table(List<JsonNode> runs) {
    StringBuilder out = new StringBuilder();
    for (JsonNode run : runs) {
      Map<String, Integer> counts = new TreeMap<>();
      run.path("rows").forEach(r -> counts.merge(r.path("status").asText(), 1, Integer::sum));
      out.append("- Kong ").append(run.path("kong").asText()).append(" over ").append(run.path("protocol").asText())
          .append(": ").append(run.path("rows").size()).append(" rows in ").append(run.path("seconds").asText())
          .append(" s; ").append(counts.toString().replaceAll("[{}]", "")).append('\n');
    }
    out.append('\n').append("| Java method | Lua function | Phase |");
    for (JsonNode run : runs) {
      out.append(" Kong ").append(run.path("kong").asText()).append(" |");
    }
    out.append('\n').append("|---|---|---|");
    runs.forEach(r -> out.append("---|"));
    out.append('\n');
    Map<String, List<JsonNode>> byId = new LinkedHashMap<>();
    for (int i = 0; i < runs.size(); i++) {
      for (JsonNode row : runs.get(i).path("rows")) {
        List<JsonNode> cells = byId.computeIfAbsent(row.path("id").asText(), k -> new ArrayList<>());
        while (cells.size() < i) {
          cells.add(null);
        }
        cells.add(row);
      }
    }
    for (List<JsonNode> cells : byId.values()) {
      JsonNode any = cells.stream().filter(c -> c != null).findFirst().orElseThrow();
      out.append("| `").append(any.path("method").asText()).append("` | `").append(any.path("lua").asText())
          .append("` | ").append(any.path("phase").asText()).append(" |");
      for (int i = 0; i < runs.size(); i++) {
        JsonNode cell = i < cells.size() ? cells.get(i) : null;
        out.append(' ').append(cell == null ? "not run" : cell(cell)).append(" |");
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static String cell(JsonNode row) {
    String status = row.path("status").asText();
    String detail = row.path("detail").asText().replace("|", "\\|").replace("\n", " ");
    String shown = switch (status) {
      case "fail" -> "**FAIL**";
      case "not-run" -> "not run";
      default -> status;
    };
    return detail.isEmpty() ? shown : shown + ": " + detail;
  }
}
