package dev.kongpdk;

/**
 * The one seam between the typed PDK and whatever answers it: a Lua PDK function name plus
 * positional arguments, answered by one value.
 *
 * <p>{@code bridge.call("kong.request.get_header", "host")} stands for the Lua call
 * {@code kong.request.get_header("host")}. Values crossing the bridge are plain Java: {@code null},
 * {@link Boolean}, {@link Long}, {@link Double}, {@link String}, {@code byte[]},
 * {@link java.util.List List&lt;Object&gt;} and {@link java.util.Map Map&lt;String, Object&gt;}.
 *
 * <p>The plugin server implements it over Kong's socket protocol; the testkit implements it with
 * a scripted mock and with a simulated gateway. Plugin code never needs to implement it.
 *
 * <p>Implementations are bound to one event and are not thread-safe.
 */
@FunctionalInterface
public interface Bridge {

  /**
   * Calls the Lua function {@code method} with {@code args} and returns its first result.
   *
   * @param method the full Lua name, for example {@code "kong.request.get_header"}
   * @param args positional arguments, plain Java values as described on {@link Bridge}
   * @return the result, or {@code null} when Kong returned nothing
   * @throws PdkException when Kong reports that the call failed
   */
  Object call(String method, Object... args);
}
