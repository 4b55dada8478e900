package dev.kongpdk.processor;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Writes the Java source of a plugin's {@code PluginDescriptor}: constants for the metadata and the
 * schema, and a direct constructor call, so nothing is reflected at run time.
 */
final class DescriptorWriter {

  private DescriptorWriter() {}

  /** What the descriptor says about one plugin. */
  record Plugin(
      String packageName,
      String descriptorSimpleName,
      String pluginClass,
      String name,
      String version,
      int priority,
      boolean failOpen,
      List<String> phases,
      Optional<String> configClass,
      boolean takesInstanceInfo,
      boolean takesMetrics,
      String schemaJson) {}

  static String source(Plugin plugin) {
    StringBuilder out = new StringBuilder();
    if (!plugin.packageName().isEmpty()) {
      out.append("package ").append(plugin.packageName()).append(";\n\n");
    }
    String phases = plugin.phases().stream()
        .map(p -> "dev.kongpdk.plugin.Phase." + p)
        .collect(Collectors.joining(", "));
    String config = plugin.configClass().orElse(null);
    out.append("/** The Kong plugin descriptor of {@link ").append(plugin.pluginClass()).append("}. */\n")
        .append("@javax.annotation.processing.Generated(\"dev.kongpdk.processor.KongPluginProcessor\")\n")
        .append("public final class ").append(plugin.descriptorSimpleName())
        .append(" implements dev.kongpdk.plugin.PluginDescriptor {\n\n")
        .append("  private static final String SCHEMA_JSON =\n      ")
        .append(javaString(plugin.schemaJson())).append(";\n\n")
        .append("  /** Creates the descriptor; {@link java.util.ServiceLoader} calls it. */\n")
        .append("  public ").append(plugin.descriptorSimpleName()).append("() {}\n\n");
    method(out, "String", "name", javaString(plugin.name()));
    method(out, "String", "version", javaString(plugin.version()));
    method(out, "int", "priority", Integer.toString(plugin.priority()));
    method(out, "java.util.List<dev.kongpdk.plugin.Phase>", "phases", "java.util.List.of(" + phases + ")");
    method(out, "boolean", "failOpen", Boolean.toString(plugin.failOpen()));
    method(out, "Class<?>", "pluginClass", plugin.pluginClass() + ".class");
    method(out, "java.util.Optional<Class<? extends Record>>", "configType",
        config == null
            ? "java.util.Optional.empty()"
            : "java.util.Optional.of(" + config + ".class)");
    method(out, "String", "schemaJson", "SCHEMA_JSON");
    String configArgument = config == null ? "" : "(" + config + ") config";
    String separator = config == null ? "" : ", ";
    String arguments = configArgument
        + (plugin.takesInstanceInfo() ? separator + "instance" : "")
        + (plugin.takesMetrics()
            ? (config == null && !plugin.takesInstanceInfo() ? "" : ", ") + "metrics"
            : "");
    String construct = "    return new " + plugin.pluginClass() + "(" + arguments + ");\n  }\n\n";
    String instanceType = "dev.kongpdk.plugin.InstanceInfo";
    String metricsType = "dev.kongpdk.plugin.PluginMetrics";
    out.append("  @Override\n  public Object newPlugin(Record config) {\n")
        .append("    return newPlugin(config, ").append(instanceType).append(".none());\n  }\n\n")
        .append("  @Override\n  public Object newPlugin(Record config, ").append(instanceType)
        .append(" instance) {\n");
    if (plugin.takesMetrics()) {
      // Only a plugin that takes PluginMetrics loads the type, and gets the no-op meters here.
      out.append("    return newPlugin(config, instance, ").append(metricsType).append(".none());\n  }\n\n")
          .append("  @Override\n  public Object newPlugin(Record config, ").append(instanceType)
          .append(" instance, ").append(metricsType).append(" metrics) {\n");
    }
    out.append(construct.stripTrailing()).append("\n}\n");
    return out.toString();
  }

  private static void method(StringBuilder out, String type, String name, String value) {
    out.append("  @Override\n  public ").append(type).append(' ').append(name).append("() {\n")
        .append("    return ").append(value).append(";\n  }\n\n");
  }

  /** A Java string literal; only ASCII in the source, so the source encoding does not matter. */
  static String javaString(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\%03o", (int) c));
          } else if (c > 0x7E) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
