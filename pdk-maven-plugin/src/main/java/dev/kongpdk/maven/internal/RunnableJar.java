package dev.kongpdk.maven.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Writes one runnable jar from the plugin's classes and its run-time dependencies: the plugin,
 * the PDK and the plugin server, started with {@code java -jar}.
 *
 * <p>The first copy of a file wins (the plugin's own classes come first); {@code META-INF/services}
 * files are merged, so every {@code ServiceLoader} provider survives; signatures, manifests and
 * {@code module-info} classes are left out (the jar runs on the class path). Entries carry one
 * fixed time, so the same inputs give the same bytes.
 */
public final class RunnableJar {

  /** The server's entry point, in pdk-bridge. */
  public static final String MAIN_CLASS = "dev.kongpdk.bridge.PluginServerMain";

  private static final String SERVICES = "META-INF/services/";
  private static final FileTime TIME = FileTime.fromMillis(315_532_800_000L); // 1980-01-01, the zip epoch

  private final Map<String, StringBuilder> services = new LinkedHashMap<>();
  private final Set<String> written = new HashSet<>();
  private final List<String> duplicates = new ArrayList<>();

  private RunnableJar() {}

  /**
   * Writes {@code target} from {@code classes} and then each jar of {@code dependencies}, in order.
   *
   * @param classes the plugin's compiled classes and resources
   * @param dependencies the run-time dependency jars
   * @param target the jar to write (replaced)
   * @return the paths left out because an earlier input had them (service files excepted)
   * @throws IOException when an input cannot be read or the jar cannot be written
   */
  public static List<String> write(Path classes, List<Path> dependencies, Path target) throws IOException {
    return new RunnableJar().writeJar(classes, dependencies, target);
  }

  private List<String> writeJar(Path classes, List<Path> dependencies, Path target) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, MAIN_CLASS);
    Files.createDirectories(target.toAbsolutePath().getParent());
    Path temp = Files.createTempFile(target.toAbsolutePath().getParent(), target.getFileName().toString(), ".tmp");
    try {
      try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(temp))) {
        put(jar, JarFile.MANIFEST_NAME, out -> manifest.write(out));
        written.add("META-INF/");
        addDirectory(jar, classes);
        for (Path dependency : dependencies) {
          addJar(jar, dependency);
        }
        for (Map.Entry<String, StringBuilder> service : services.entrySet()) {
          byte[] bytes = service.getValue().toString().getBytes(StandardCharsets.UTF_8);
          put(jar, service.getKey(), out -> out.write(bytes));
        }
      }
      Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    return List.copyOf(duplicates);
  }

  private void addDirectory(JarOutputStream jar, Path classes) throws IOException {
    if (!Files.isDirectory(classes)) {
      throw new IOException(classes + " does not exist: compile the plugin first");
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(classes)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path file : files) {
      String name = classes.relativize(file).toString().replace('\\', '/');
      try (InputStream in = Files.newInputStream(file)) {
        add(jar, name, in);
      }
    }
  }

  private void addJar(JarOutputStream jar, Path dependency) throws IOException {
    if (Files.isDirectory(dependency)) { // a module's classes, in a reactor build that stops before package
      addDirectory(jar, dependency);
      return;
    }
    try (JarFile in = new JarFile(dependency.toFile())) {
      for (JarEntry entry : in.stream().sorted((a, b) -> a.getName().compareTo(b.getName())).toList()) {
        if (!entry.isDirectory()) {
          try (InputStream data = in.getInputStream(entry)) {
            add(jar, entry.getName(), data);
          }
        }
      }
    }
  }

  private void add(JarOutputStream jar, String name, InputStream data) throws IOException {
    if (leftOut(name)) {
      return;
    }
    if (name.startsWith(SERVICES) && name.indexOf('/', SERVICES.length()) < 0) {
      String text = new String(data.readAllBytes(), StandardCharsets.UTF_8);
      StringBuilder merged = services.computeIfAbsent(name, k -> new StringBuilder());
      merged.append(text);
      if (!text.isEmpty() && !text.endsWith("\n")) {
        merged.append('\n');
      }
      return;
    }
    if (!written.add(name)) {
      duplicates.add(name);
      return;
    }
    addParents(jar, name);
    put(jar, name, data::transferTo);
  }

  private void addParents(JarOutputStream jar, String name) throws IOException {
    int slash = name.indexOf('/');
    while (slash > 0) {
      String dir = name.substring(0, slash + 1);
      if (written.add(dir)) {
        put(jar, dir, out -> { });
      }
      slash = name.indexOf('/', slash + 1);
    }
  }

  private static boolean leftOut(String name) {
    String upper = name.toUpperCase(java.util.Locale.ROOT);
    return upper.equals("META-INF/MANIFEST.MF") || upper.equals("META-INF/INDEX.LIST")
        || (upper.startsWith("META-INF/") && upper.indexOf('/', 9) < 0
            && (upper.endsWith(".SF") || upper.endsWith(".DSA") || upper.endsWith(".RSA") || upper.endsWith(".EC")))
        || name.equals("module-info.class")
        || (name.startsWith("META-INF/versions/") && name.endsWith("/module-info.class"));
  }

  private interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private static void put(JarOutputStream jar, String name, Content content) throws IOException {
    JarEntry entry = new JarEntry(name);
    entry.setLastModifiedTime(TIME);
    jar.putNextEntry(entry);
    content.writeTo(jar);
    jar.closeEntry();
  }
}
