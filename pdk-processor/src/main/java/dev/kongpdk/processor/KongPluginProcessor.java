package dev.kongpdk.processor;

import com.google.auto.service.AutoService;
import dev.kongpdk.plugin.PhaseTimeout;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedOptions;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Checks every {@code @KongPlugin} class and writes, for each: its {@code PluginDescriptor} source
 * ({@code <Class>_KongPluginDescriptor}), {@code META-INF/kong/<name>/schema.json} and {@code
 * schema.lua}; and, for the whole compilation, {@code
 * META-INF/services/dev.kongpdk.plugin.PluginDescriptor}. Every problem is a compile error on the
 * element it concerns.
 */
@AutoService(Processor.class)
@SupportedOptions(KongPluginProcessor.DESCRIPTIONS_OPTION)
public final class KongPluginProcessor extends AbstractProcessor {

  static final String KONG_PLUGIN = "dev.kongpdk.plugin.KongPlugin";
  static final String INSTANCE_INFO = "dev.kongpdk.plugin.InstanceInfo";
  static final String PLUGIN_METRICS = "dev.kongpdk.plugin.PluginMetrics";
  /**
   * {@code -Akongpdk.descriptions=false} leaves field descriptions out of the schema, for Kong
   * versions whose metaschema does not know the {@code description} attribute (Kong 2.8).
   */
  static final String DESCRIPTIONS_OPTION = "kongpdk.descriptions";

  static final String SERVICES_FILE = "META-INF/services/dev.kongpdk.plugin.PluginDescriptor";

  /** Plugin names every Kong version accepts, that are also safe socket and directory names. */
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

  /** What Kong 3.x accepts as {@code VERSION}: at most three numeric parts. */
  static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+){0,2}");

  /** Phase interfaces, in the order Kong runs the phases, with the {@code Phase} constant names. */
  private static final Map<String, String> PHASES = phases();

  private final Map<String, TypeElement> pluginsByName = new TreeMap<>();
  private final List<String> descriptors = new ArrayList<>();

  private Messager messager;
  private Filer filer;
  private Types types;
  private Annotations annotations;

  /** Creates the processor; javac calls it. */
  public KongPluginProcessor() {}

  private static Map<String, String> phases() {
    Map<String, String> phases = new LinkedHashMap<>();
    phases.put("dev.kongpdk.plugin.CertificatePhase", "CERTIFICATE");
    phases.put("dev.kongpdk.plugin.RewritePhase", "REWRITE");
    phases.put("dev.kongpdk.plugin.AccessPhase", "ACCESS");
    phases.put("dev.kongpdk.plugin.ResponsePhase", "RESPONSE");
    phases.put("dev.kongpdk.plugin.PrereadPhase", "PREREAD");
    phases.put("dev.kongpdk.plugin.LogPhase", "LOG");
    return phases;
  }

  @Override
  public synchronized void init(javax.annotation.processing.ProcessingEnvironment env) {
    super.init(env);
    messager = env.getMessager();
    filer = env.getFiler();
    types = env.getTypeUtils();
    annotations = new Annotations(env.getElementUtils());
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(KONG_PLUGIN);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotated, RoundEnvironment round) {
    TypeElement kongPlugin = processingEnv.getElementUtils().getTypeElement(KONG_PLUGIN);
    if (kongPlugin != null) {
      for (Element element : round.getElementsAnnotatedWith(kongPlugin)) {
        try {
          processPlugin(element);
        } catch (InvalidPluginException e) {
          report(e);
        }
      }
    }
    if (round.processingOver() && !descriptors.isEmpty()) {
      writeServicesFile();
    }
    return true;
  }

  private void processPlugin(Element element) throws InvalidPluginException {
    Annotations.Found plugin = annotations.find(KONG_PLUGIN, List.of(element)).orElseThrow();
    if (element.getKind() != ElementKind.CLASS) {
      throw new InvalidPluginException("@KongPlugin goes on a class", element);
    }
    TypeElement type = (TypeElement) element;
    checkClass(type);

    String name = plugin.string("name");
    if (!NAME.matcher(name).matches()) {
      throw new InvalidPluginException(
          "plugin name '" + name + "' is not usable: use lower-case letters, digits, '-' and '_',"
              + " starting with a letter or digit (e.g. \"my-plugin\")",
          type, plugin.mirror(), plugin.value("name"));
    }
    String version = plugin.string("version");
    if (!VERSION.matcher(version).matches()) {
      throw new InvalidPluginException(
          "plugin version '" + version + "' is not usable: Kong requires at most three numeric"
              + " parts, \"x.y.z\" (e.g. \"1.0.0\")",
          type, plugin.mirror(), plugin.value("version"));
    }
    List<String> phases = phasesOf(type);
    checkPhaseTimeouts(type, phases);
    Construction construction = construction(type);
    Optional<TypeElement> config = construction.config();

    TypeElement previous = pluginsByName.putIfAbsent(name, type);
    if (previous != null && !previous.equals(type)) {
      throw new InvalidPluginException(
          "duplicate plugin name '" + name + "': " + previous.getQualifiedName()
              + " already uses it in this build",
          type, plugin.mirror(), plugin.value("name"));
    }

    Map<String, Object> configField;
    if (config.isPresent()) {
      boolean descriptions =
          !"false".equals(processingEnv.getOptions().get(DESCRIPTIONS_OPTION));
      SchemaReader reader = new SchemaReader(annotations, descriptions);
      configField = reader.record(config.get());
      if (!reader.errors().isEmpty()) {
        reader.errors().forEach(this::report);
        return;
      }
    } else {
      configField = new LinkedHashMap<>();
      configField.put("type", "record");
      configField.put("fields", List.of());
    }
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("name", name);
    schema.put("fields", List.of(Map.of("config", configField)));
    String schemaJson = Json.write(schema);

    PackageElement pkg = processingEnv.getElementUtils().getPackageOf(type);
    String packageName = pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString();
    String descriptorSimpleName = nestedName(type) + "_KongPluginDescriptor";
    DescriptorWriter.Plugin descriptor =
        new DescriptorWriter.Plugin(
            packageName,
            descriptorSimpleName,
            type.getQualifiedName().toString(),
            name,
            version,
            plugin.integer("priority"),
            plugin.bool("failOpen"),
            phases,
            config.map(c -> c.getQualifiedName().toString()),
            construction.instanceInfo(),
            construction.metrics(),
            schemaJson);
    String descriptorName =
        packageName.isEmpty() ? descriptorSimpleName : packageName + "." + descriptorSimpleName;
    try {
      try (Writer out = filer.createSourceFile(descriptorName, type).openWriter()) {
        out.write(DescriptorWriter.source(descriptor));
      }
      writeResource("META-INF/kong/" + name + "/schema.json", schemaJson + "\n", type);
      writeResource(
          "META-INF/kong/" + name + "/schema.lua",
          LuaWriter.module(schema, type.getQualifiedName().toString()),
          type);
    } catch (IOException e) {
      throw new InvalidPluginException("could not write the files of plugin '" + name + "': " + e, type);
    }
    descriptors.add(descriptorName);
  }

  private void checkClass(TypeElement type) throws InvalidPluginException {
    if (!type.getModifiers().contains(Modifier.PUBLIC)) {
      throw new InvalidPluginException("a Kong plugin class must be public", type);
    }
    if (type.getModifiers().contains(Modifier.ABSTRACT)) {
      throw new InvalidPluginException("a Kong plugin class must not be abstract", type);
    }
    for (Element e = type; e instanceof TypeElement t; e = e.getEnclosingElement()) {
      if (t.getNestingKind() == NestingKind.LOCAL || t.getNestingKind() == NestingKind.ANONYMOUS) {
        throw new InvalidPluginException("a Kong plugin class must be top-level or static nested", type);
      }
      if (t.getNestingKind() == NestingKind.MEMBER
          && (!t.getModifiers().contains(Modifier.STATIC) || !t.getModifiers().contains(Modifier.PUBLIC))) {
        throw new InvalidPluginException(
            "a nested Kong plugin class must be public and static, in public classes", type);
      }
    }
  }

  private List<String> phasesOf(TypeElement type) throws InvalidPluginException {
    List<String> phases = new ArrayList<>();
    for (Map.Entry<String, String> phase : PHASES.entrySet()) {
      TypeElement phaseType = processingEnv.getElementUtils().getTypeElement(phase.getKey());
      if (phaseType != null && types.isAssignable(types.erasure(type.asType()), types.erasure(phaseType.asType()))) {
        phases.add(phase.getValue());
      }
    }
    if (phases.isEmpty()) {
      throw new InvalidPluginException(
          "a Kong plugin must implement at least one phase interface: CertificatePhase,"
              + " RewritePhase, AccessPhase, ResponsePhase, PrereadPhase or LogPhase",
          type);
    }
    return phases;
  }

  /**
   * Checks {@code @PhaseTimeout}: at least 1 ms, and on a method only on one of the plugin's phase
   * methods (elsewhere the runtime would never read it).
   */
  private void checkPhaseTimeouts(TypeElement type, List<String> phases) throws InvalidPluginException {
    PhaseTimeout onClass = type.getAnnotation(PhaseTimeout.class);
    if (onClass != null && onClass.millis() < 1) {
      throw new InvalidPluginException("@PhaseTimeout must be at least 1 ms, got " + onClass.millis(), type);
    }
    for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
      PhaseTimeout limit = method.getAnnotation(PhaseTimeout.class);
      if (limit == null) {
        continue;
      }
      if (limit.millis() < 1) {
        throw new InvalidPluginException("@PhaseTimeout must be at least 1 ms, got " + limit.millis(), method);
      }
      String name = method.getSimpleName().toString();
      if (method.getParameters().size() != 1 || !phases.contains(name.toUpperCase(java.util.Locale.ROOT))) {
        throw new InvalidPluginException("@PhaseTimeout goes on a phase method of the plugin ("
            + String.join(", ", phases.stream().map(p -> p.toLowerCase(java.util.Locale.ROOT)).toList())
            + "(Kong)) or on the plugin class; '" + name + "' is neither", method);
      }
    }
  }

  /**
   * How the plugin is constructed: its config record, if any, and whether it takes InstanceInfo
   * and PluginMetrics.
   */
  record Construction(Optional<TypeElement> config, boolean instanceInfo, boolean metrics) {}

  /**
   * Picks the public constructor Kong instances are created with: the one with the most parameters
   * among {@code ()}, {@code (Config)}, {@code (InstanceInfo)} and {@code (Config, InstanceInfo)},
   * where {@code Config} is any record, each optionally followed by a {@code PluginMetrics}.
   */
  private Construction construction(TypeElement type) throws InvalidPluginException {
    List<Construction> usable = new ArrayList<>();
    for (ExecutableElement constructor : ElementFilter.constructorsIn(type.getEnclosedElements())) {
      if (constructor.getModifiers().contains(Modifier.PUBLIC)) {
        usable(constructor).ifPresent(usable::add);
      }
    }
    if (usable.isEmpty()) {
      throw new InvalidPluginException(
          "a Kong plugin needs a public constructor taking its config record, or a public"
              + " constructor without arguments (either may also take an InstanceInfo, then a"
              + " PluginMetrics, last)",
          type);
    }
    int most = usable.stream().mapToInt(KongPluginProcessor::parameterCount).max().orElseThrow();
    List<Construction> richest =
        usable.stream().filter(c -> parameterCount(c) == most).toList();
    if (richest.size() > 1) {
      throw new InvalidPluginException(
          "a Kong plugin needs one public constructor to be created with, but " + richest.size()
              + " public constructors take " + most + " usable parameters",
          type);
    }
    Construction chosen = richest.get(0);
    if (chosen.config().isPresent()) {
      if (chosen.config().get().getModifiers().contains(Modifier.PRIVATE)) {
        throw new InvalidPluginException(
            "the config record " + chosen.config().get().getSimpleName() + " must not be private",
            type);
      }
      return chosen;
    }
    for (TypeElement member : ElementFilter.typesIn(type.getEnclosedElements())) {
      if (member.getKind() == ElementKind.RECORD && member.getSimpleName().contentEquals("Config")) {
        throw new InvalidPluginException(
            "the plugin declares record Config but has no public constructor "
                + type.getSimpleName() + "(Config config): add one, or Kong's config never reaches"
                + " the plugin",
            type);
      }
    }
    return chosen;
  }

  private Optional<Construction> usable(ExecutableElement constructor) {
    List<? extends VariableElement> parameters = constructor.getParameters();
    int count = parameters.size();
    boolean metrics = count > 0 && isType(parameters.get(count - 1).asType(), PLUGIN_METRICS);
    if (metrics) {
      count--;
    }
    boolean info = count > 0 && isType(parameters.get(count - 1).asType(), INSTANCE_INFO);
    int configs = info ? count - 1 : count;
    if (configs == 0) {
      return Optional.of(new Construction(Optional.empty(), info, metrics));
    }
    TypeMirror first = parameters.get(0).asType();
    if (configs == 1 && isRecord(first) && !isType(first, INSTANCE_INFO)) {
      return Optional.of(new Construction(
          Optional.of((TypeElement) ((DeclaredType) first).asElement()), info, metrics));
    }
    return Optional.empty();
  }

  private static int parameterCount(Construction construction) {
    return (construction.config().isPresent() ? 1 : 0) + (construction.instanceInfo() ? 1 : 0)
        + (construction.metrics() ? 1 : 0);
  }

  private static boolean isType(TypeMirror type, String qualifiedName) {
    return type.getKind() == TypeKind.DECLARED
        && ((TypeElement) ((DeclaredType) type).asElement())
            .getQualifiedName().contentEquals(qualifiedName);
  }

  private static boolean isRecord(TypeMirror type) {
    return type.getKind() == TypeKind.DECLARED
        && ((DeclaredType) type).asElement().getKind() == ElementKind.RECORD;
  }

  private static String nestedName(TypeElement type) {
    StringBuilder name = new StringBuilder(type.getSimpleName());
    for (Element e = type.getEnclosingElement(); e instanceof TypeElement t; e = e.getEnclosingElement()) {
      name.insert(0, t.getSimpleName() + "_");
    }
    return name.toString();
  }

  private void writeResource(String path, String text, Element... origins) throws IOException {
    FileObject file = filer.createResource(StandardLocation.CLASS_OUTPUT, "", path, origins);
    try (Writer out = new java.io.OutputStreamWriter(file.openOutputStream(), StandardCharsets.UTF_8)) {
      out.write(text);
    }
  }

  private void writeServicesFile() {
    StringBuilder text = new StringBuilder();
    descriptors.stream().sorted().forEach(d -> text.append(d).append('\n'));
    try {
      writeResource(SERVICES_FILE, text.toString());
    } catch (IOException e) {
      messager.printMessage(Diagnostic.Kind.ERROR, "could not write " + SERVICES_FILE + ": " + e);
    }
  }

  private void report(InvalidPluginException e) {
    messager.printMessage(Diagnostic.Kind.ERROR, e.getMessage(), e.element(), e.annotation(), e.value());
  }
}
