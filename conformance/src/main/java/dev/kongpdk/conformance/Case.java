package dev.kongpdk.conformance;

import dev.kongpdk.Kong;
import dev.kongpdk.plugin.KongVersion;
import dev.kongpdk.plugin.Phase;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One row of the suite: one typed method called in one phase, and how its result is judged.
 *
 * @param id unique, stable name of the row ({@code <method label>@<phase>}); the request carries it
 * @param method the typed method, as the mapping table names it ({@code kong.request().getHeader(String)})
 * @param lua the Lua function the method calls
 * @param phase the phase the probe calls it in
 * @param request the request the driver sends
 * @param call what the probe does; its return value is reported
 * @param checks how the driver judges the row, for each Kong version
 */
public record Case(
    String id, String method, String lua, Phase phase, Request request, Call call,
    Function<KongVersion, Check> checks) {

  public Case {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(lua, "lua");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(checks, "checks");
  }

  /** Returns how the row is judged on {@code kong}. */
  public Check check(KongVersion kong) {
    return checks.apply(kong);
  }

  /** The probe's side of a row: calls the typed API and returns what it answered. */
  @FunctionalInterface
  public interface Call {
    /**
     * Calls the typed method under test.
     *
     * @param kong the PDK of the current event
     * @param settings the probe's config
     * @return the value the method returned ({@code null} for {@code void})
     */
    Object apply(Kong kong, ProbePlugin.Config settings);
  }

  /**
   * How a row is judged. Each part is optional; a row passes when every given part holds and the
   * call threw nothing (unless {@link #error} names the failure that is expected).
   *
   * @param luaView compare the Java value with the value Kong's Lua returned (read from the trace),
   *     after this view of the Lua value; {@code null}: don't
   * @param expected the Java value (canonical form) the request implies, {@link #NULL} for
   *     {@code null}, or a {@link ValueTest}; {@code null}: none
   * @param effect what the client or the upstream must have seen; {@code null}: nothing
   * @param error a substring of the {@code PdkException} the call must throw, with the reason
   *     why; {@code null}: the call must return
   * @param note a fact the row's result shows, added to an {@code ok}; {@code null}: none
   * @param skip why the row cannot run in the harness; {@code null}: it runs
   */
  public record Check(
      UnaryOperator<Object> luaView, Object expected, Effect effect, ExpectedError error, String note, String skip) {

    /** Compares with Kong's Lua value as it is. */
    public static Check traced() {
      return new Check(UnaryOperator.identity(), null, null, null, null, null);
    }

    /** Compares with Kong's Lua value seen through {@code view}. */
    public static Check traced(UnaryOperator<Object> view) {
      return new Check(view, null, null, null, null, null);
    }

    /** Stands for an expected {@code null} (void, or nothing found) in {@link #expected}. */
    public static final Object NULL = new Object() {
      @Override
      public String toString() {
        return "null";
      }
    };

    /** Compares with a known value only (Kong's Lua value cannot be traced for this function). */
    public static Check value(Object expected) {
      return new Check(null, expected == null ? NULL : expected, null, null, null, null);
    }

    /** Judges the row by what the client or upstream saw. */
    public static Check effect(Effect effect) {
      return new Check(null, null, effect, null, null, null);
    }

    /** The call must fail with a {@code PdkException} containing {@code text}, for {@code reason}. */
    public static Check error(String text, String reason) {
      return new Check(null, null, null, new ExpectedError(text, reason), null, null);
    }

    /** Does not run the row, for {@code reason}. */
    public static Check skip(String reason) {
      return new Check(null, null, null, null, null, reason);
    }

    /** Adds a fact to report with an {@code ok}. */
    public Check withNote(String text) {
      return new Check(luaView, expected, effect, error, text, skip);
    }

    /** Adds a known value to this check. */
    public Check andValue(Object value) {
      return new Check(luaView, value == null ? NULL : value, effect, error, note, skip);
    }

    /** Adds an effect to this check. */
    public Check andEffect(Effect more) {
      return new Check(luaView, expected, more, error, note, skip);
    }
  }

  /** A failure the row expects, with why Kong fails there. */
  public record ExpectedError(String text, String reason) {}

  /** What a request must have produced at the client or the upstream. */
  @FunctionalInterface
  public interface Effect {
    /**
     * Judges what was observed.
     *
     * @param seen the client response and the upstream request
     * @return {@code null} when the effect is there, otherwise what is wrong
     */
    String problem(Observed seen);
  }
}
