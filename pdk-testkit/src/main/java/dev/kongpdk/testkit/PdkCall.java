package dev.kongpdk.testkit;

import dev.kongpdk.testkit.internal.WireValues;
import java.util.List;
import java.util.Optional;

/**
 * One PDK call a plugin made, with what the simulated Kong answered.
 *
 * @param plugin the calling plugin's name
 * @param phase the phase, for example {@code access}
 * @param method the Lua function, for example {@code kong.request.get_header}
 * @param args the arguments as they cross the wire
 * @param result the answer as it crosses the wire, empty when Kong answered nothing (nil, a
 *     terminal call, or a call that raised a Lua error)
 */
public record PdkCall(String plugin, String phase, String method, List<Object> args, Optional<Object> result) {

  /** Renders the call as {@code method(args) -> result}. */
  @Override
  public String toString() {
    return "[" + plugin + ":" + phase + "] " + method + WireValues.render(args)
        + result.map(r -> " -> " + WireValues.render(r)).orElse("");
  }
}
