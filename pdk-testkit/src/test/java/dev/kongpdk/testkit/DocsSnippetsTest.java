package dev.kongpdk.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Code shown in the READMEs and docs comes from compiled sources: a fenced block preceded by
 * {@code <!-- snippet: path/File.java#tag -->} must equal the region between {@code // tag::tag[]}
 * and {@code // end::tag[]} in that file (paths from the repository root).
 */
class DocsSnippetsTest {

  private static final Path ROOT = Path.of("..");
  private static final Pattern MARKER = Pattern.compile("<!-- snippet: (\\S+?)#(\\S+) -->\\n```\\w*\\n(.*?)```", Pattern.DOTALL);

  /** One marked snippet. */
  private record Snippet(Path document, String source, String tag, String shown) {}

  @Test
  void everyMarkedSnippetEqualsItsTaggedSourceRegion() throws IOException {
    List<Snippet> snippets = snippets();
    assertTrue(snippets.size() >= 7, "expected the README, docs and examples to mark their snippets; found " + snippets);
    for (Snippet snippet : snippets) {
      assertEquals(region(snippet.source(), snippet.tag()), snippet.shown(),
          snippet.document() + " shows " + snippet.source() + "#" + snippet.tag() + " differently from the source");
    }
  }

  @Test
  void theReadmeShowsTheHelloPluginFromItsSource() throws IOException {
    // docs/getting-started.md shows the archetype's plugin; .ci/getting-started.sh compares it with
    // the generated file.
    for (String document : List.of("README.md")) {
      assertTrue(snippets().stream().anyMatch(s -> s.document().equals(ROOT.resolve(document))
          && s.source().endsWith("Hello.java") && s.tag().equals("plugin")), document);
    }
  }

  private static List<Snippet> snippets() throws IOException {
    List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs")); Stream<Path> examples = Files.list(ROOT.resolve("examples"))) {
      docs.filter(p -> p.toString().endsWith(".md")).forEach(documents::add);
      examples.map(p -> p.resolve("README.md")).filter(Files::exists).forEach(documents::add);
    }
    List<Snippet> snippets = new ArrayList<>();
    for (Path document : documents) {
      Matcher m = MARKER.matcher(Files.readString(document));
      while (m.find()) {
        snippets.add(new Snippet(document, m.group(1), m.group(2), m.group(3)));
      }
    }
    return snippets;
  }

  private static String region(String source, String tag) throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve(source));
    int start = lines.indexOf("// tag::" + tag + "[]");
    for (int i = 0; i < lines.size() && start < 0; i++) {
      if (lines.get(i).strip().equals("// tag::" + tag + "[]")) {
        start = i;
      }
    }
    if (start < 0) {
      fail(source + " has no region '// tag::" + tag + "[]'");
    }
    StringBuilder region = new StringBuilder();
    for (int i = start + 1; i < lines.size(); i++) {
      if (lines.get(i).strip().equals("// end::" + tag + "[]")) {
        return region.toString();
      }
      region.append(lines.get(i)).append('\n');
    }
    return fail(source + ": region '" + tag + "' has no '// end::" + tag + "[]'");
  }
}
