package dev.kongpdk.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The samples of one scrape in the Prometheus text format, for assertions. */
final class Samples {

  record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final List<Sample> samples;

  private Samples(List<Sample> samples) {
    this.samples = samples;
  }

  static Samples parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      String series = line.substring(0, space);
      double value = Double.parseDouble(line.substring(space + 1));
      int brace = series.indexOf('{');
      Map<String, String> labels = new LinkedHashMap<>();
      if (brace >= 0) {
        Matcher m = LABEL.matcher(series.substring(brace));
        while (m.find()) {
          labels.put(m.group(1), m.group(2));
        }
      }
      samples.add(new Sample(brace < 0 ? series : series.substring(0, brace), labels, value));
    }
    return new Samples(samples);
  }

  /** The sum of the samples named {@code name} whose labels include {@code labels} (pairs). */
  double sum(String name, String... labels) {
    return matching(name, labels).stream().mapToDouble(Sample::value).sum();
  }

  /** The samples named {@code name} whose labels include {@code labels} (pairs). */
  List<Sample> matching(String name, String... labels) {
    List<Sample> found = new ArrayList<>();
    for (Sample sample : samples) {
      if (!sample.name().equals(name)) {
        continue;
      }
      boolean all = true;
      for (int i = 0; i < labels.length; i += 2) {
        all &= labels[i + 1].equals(sample.labels().get(labels[i]));
      }
      if (all) {
        found.add(sample);
      }
    }
    return found;
  }

  /** Every sample name. */
  Set<String> names() {
    Set<String> names = new TreeSet<>();
    samples.forEach(s -> names.add(s.name()));
    return names;
  }

  /** Every label name. */
  Set<String> labelNames() {
    Set<String> names = new TreeSet<>();
    samples.forEach(s -> names.addAll(s.labels().keySet()));
    return names;
  }
}
