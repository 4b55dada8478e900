package dev.kongpdk.testkit.gateway;

import java.util.List;

/** Answers the PDK calls of an event in Kong's place, for example {@code fakeKong::call}. */
@FunctionalInterface
public interface CallAnswerer {

  /**
   * Answers one PDK call.
   *
   * @param method the Lua function, for example {@code kong.request.get_header}
   * @param args the arguments as decoded from the wire
   * @return the result to send as {@code Data} ({@code null}: no {@code Data}), or a {@link
   *     StepError} to answer with {@code plugin.StepError} as Kong 2.8 does
   */
  Object answer(String method, List<Object> args);
}
