package dev.kongpdk.testkit;

import dev.kongpdk.plugin.Phase;
import java.util.Set;

/** One plugin taking part in a simulated request: a Java plugin (in process or over a socket) or a Lua stand-in. */
interface RunnablePlugin {

  String name();

  int priority();

  Set<Phase> phases();

  /** Runs one event of the plugin against {@code kong}; the caller begins and ends the event. */
  void run(Phase phase, FakeKong kong);
}
