package dev.kongpdk.benchmarks.driver;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Times a plugin server's dump command (what Kong runs to learn the plugin's schema): wall time
 * from spawn to exit, checking that it exits 0 and prints JSON. Appends one JSON line.
 *
 * <pre>DumpTimer --label NAME --repeat N --out FILE -- COMMAND...</pre>
 */
public final class DumpTimer {

  private DumpTimer() {}

  public static void main(String[] args) throws Exception {
    String label = null;
    String out = null;
    int repeat = 5;
    int i = 0;
    for (; i < args.length && !args[i].equals("--"); i += 2) {
      switch (args[i]) {
        case "--label" -> label = args[i + 1];
        case "--out" -> out = args[i + 1];
        case "--repeat" -> repeat = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<String> command = Arrays.asList(args).subList(i + 1, args.length);
    List<Double> millis = new ArrayList<>();
    for (int run = 0; run < repeat; run++) {
      millis.add(once(command));
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("label", label);
    result.put("millis", millis);
    String line = new ObjectMapper().writeValueAsString(result);
    Files.writeString(Path.of(out), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    System.err.println(line);
  }

  private static double once(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    long start = System.nanoTime();
    Process process = builder.start();
    byte[] stdout = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(command + " did not exit within 60 s");
    }
    double ms = (System.nanoTime() - start) / 1e6;
    String text = new String(stdout, StandardCharsets.UTF_8).strip();
    if (process.exitValue() != 0 || !(text.startsWith("{") || text.startsWith("["))) {
      throw new IOException(command + " failed (exit " + process.exitValue() + "): " + text);
    }
    return ms;
  }
}
