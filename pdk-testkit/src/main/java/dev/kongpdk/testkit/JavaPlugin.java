package dev.kongpdk.testkit;

import dev.kongpdk.bridge.PluginInstance;
import dev.kongpdk.plugin.Phase;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** A Java plugin run in process through {@link PluginInstance}, exactly as the plugin server runs it. */
final class JavaPlugin implements RunnablePlugin {

  private final PluginInstance instance;
  private final List<Throwable> failures;

  JavaPlugin(PluginInstance instance, List<Throwable> failures) {
    this.instance = instance;
    this.failures = failures;
  }

  @Override
  public String name() {
    return instance.descriptor().name();
  }

  @Override
  public int priority() {
    return instance.descriptor().priority();
  }

  @Override
  public Set<Phase> phases() {
    List<Phase> phases = instance.descriptor().phases();
    return phases.isEmpty() ? EnumSet.noneOf(Phase.class) : EnumSet.copyOf(phases);
  }

  /** Releases the plugin object, as the server does when Kong closes an instance. */
  void close() {
    instance.close();
  }

  @Override
  public void run(Phase phase, FakeKong kong) {
    Throwable failure = instance.handle(phase, new EventBridge(kong));
    if (failure instanceof UnsimulatedCallError strict) {
      throw strict;
    }
    if (failure != null) {
      failures.add(failure);
    }
  }
}
