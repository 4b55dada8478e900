package dev.kongpdk.testkit;

import dev.kongpdk.plugin.Phase;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs one request through plugins in Kong's order: (certificate for https,) rewrite, access,
 * the upstream, response (only when proxied and a plugin has a response phase), log (always).
 * Within a phase plugins run by priority, highest first. An exit or a Lua error in a request phase
 * skips the remaining plugins of that and later request phases and the upstream; log still runs.
 */
final class RequestRun {

  private RequestRun() {}

  static TestResult run(FakeKong kong, List<RunnablePlugin> plugins, List<Throwable> failures,
      RecordedMeters meters, boolean https) {
    List<RunnablePlugin> ordered = new ArrayList<>(plugins);
    ordered.sort(Comparator.comparingInt(RunnablePlugin::priority).reversed());
    List<Phase> requestPhases = https
        ? List.of(Phase.CERTIFICATE, Phase.REWRITE, Phase.ACCESS)
        : List.of(Phase.REWRITE, Phase.ACCESS);
    request:
    for (Phase phase : requestPhases) {
      if (phase == Phase.ACCESS) {
        kong.route();
      }
      for (RunnablePlugin plugin : ordered) {
        if (plugin.phases().contains(phase)) {
          runEvent(kong, plugin, phase);
          if (kong.responded()) {
            break request;
          }
        }
      }
    }
    if (!kong.responded()) {
      boolean buffered = ordered.stream().anyMatch(p -> p.phases().contains(Phase.RESPONSE));
      kong.proxy(buffered);
      if (buffered) {
        for (RunnablePlugin plugin : ordered) {
          if (plugin.phases().contains(Phase.RESPONSE)) {
            runEvent(kong, plugin, Phase.RESPONSE);
            if (kong.responded()) {
              break;
            }
          }
        }
      }
    }
    for (RunnablePlugin plugin : ordered) {
      if (plugin.phases().contains(Phase.LOG)) {
        runEvent(kong, plugin, Phase.LOG);
      }
    }
    return new TestResult(kong.clientResponse(), kong.upstreamRequest(), kong.logs(), kong.calls(),
        kong.ctxShared(), failures, meters);
  }

  private static void runEvent(FakeKong kong, RunnablePlugin plugin, Phase phase) {
    kong.beginEvent(plugin.name(), phase);
    try {
      plugin.run(phase, kong);
    } catch (LuaError e) {
      // recorded by FakeKong; Kong ends the event and answers nothing more
    }
    kong.strictFailure().ifPresent(e -> {
      throw e;
    });
    kong.endEvent();
  }
}
