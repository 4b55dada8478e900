package dev.kongpdk.processor;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles fixture sources from {@code src/test/resources/fixtures} with the Kong processor, into a
 * directory, against pdk-api and jackson-annotations only (what a plugin build has).
 */
final class TestCompiler {

  private TestCompiler() {}

  /** The outcome of one compilation. */
  record Result(boolean success, List<Diagnostic<? extends JavaFileObject>> diagnostics, Path classes) {

    /** The error messages. */
    List<String> errors() {
      return diagnostics.stream()
          .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
          .map(d -> d.getMessage(Locale.ROOT))
          .toList();
    }

    /** The warnings (javac lint and the processor's). */
    List<String> warnings() {
      return diagnostics.stream()
          .filter(d -> d.getKind() == Diagnostic.Kind.WARNING || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING)
          .map(d -> d.getMessage(Locale.ROOT))
          .toList();
    }

    /** The source line an error containing {@code messagePart} points at, trimmed. */
    String errorLine(String messagePart) {
      for (Diagnostic<? extends JavaFileObject> d : diagnostics) {
        if (d.getKind() == Diagnostic.Kind.ERROR && d.getMessage(Locale.ROOT).contains(messagePart)) {
          if (d.getSource() == null) {
            return "<no source>";
          }
          try {
            String source = d.getSource().getCharContent(true).toString();
            return source.lines().skip(d.getLineNumber() - 1).findFirst().orElseThrow().trim();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
      throw new AssertionError("no error containing '" + messagePart + "' in " + errors());
    }

    /** The text of a generated resource or class-output file. */
    String file(String path) throws IOException {
      return Files.readString(classes.resolve(path), StandardCharsets.UTF_8);
    }

    boolean exists(String path) {
      return Files.exists(classes.resolve(path));
    }

    /** A class loader over the compiled classes, delegating to the test's class path. */
    URLClassLoader loader() throws MalformedURLException {
      return new URLClassLoader(new URL[] {classes.toUri().toURL()}, TestCompiler.class.getClassLoader());
    }
  }

  static Result compile(Path dir, String... fixtures) throws IOException {
    return compile(dir, List.of(), fixtures);
  }

  static Result compile(Path dir, List<String> extraOptions, String... fixtures) throws IOException {
    List<JavaFileObject> sources = new ArrayList<>();
    for (String fixture : fixtures) {
      sources.add(source(fixture));
    }
    Path classes = Files.createDirectories(dir.resolve("classes"));
    Path generated = Files.createDirectories(dir.resolve("generated"));
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      List<String> options = new ArrayList<>(List.of(
          "--release", "21",
          "-proc:full",
          "-Xlint:all,-processing",
          "-classpath", pluginClassPath(),
          "-d", classes.toString(),
          "-s", generated.toString()));
      options.addAll(extraOptions);
      JavaCompiler.CompilationTask task =
          compiler.getTask(null, files, diagnostics, options, null, sources);
      task.setProcessors(List.of(new KongPluginProcessor()));
      boolean success = task.call();
      return new Result(success, diagnostics.getDiagnostics(), classes);
    }
  }

  /** pdk-api and jackson-annotations from the test's class path: what a plugin compiles against. */
  private static String pluginClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> entry.contains("pdk-api") || entry.contains("jackson-annotations"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static JavaFileObject source(String fixture) throws IOException {
    String path = "fixtures/" + fixture.replace('.', '/') + ".java";
    String text;
    try (InputStream in = TestCompiler.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("no fixture " + path);
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    return new SimpleJavaFileObject(URI.create("string:///" + path), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return text;
      }
    };
  }
}
