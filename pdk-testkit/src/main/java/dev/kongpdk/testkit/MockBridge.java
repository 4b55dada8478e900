package dev.kongpdk.testkit;

import dev.kongpdk.Bridge;
import dev.kongpdk.Kong;
import dev.kongpdk.PdkException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * A {@link Bridge} that answers from a script of expected calls, strictly in order: for unit tests
 * of the typed PDK and of small plugin logic.
 *
 * <pre>{@code
 * MockBridge bridge = new MockBridge()
 *     .expect("kong.request.get_header", "host").returns("example.com")
 *     .expect("kong.response.set_header", "X-Host", "example.com").returnsNothing();
 * myPlugin.access(bridge.kong());
 * bridge.verify();
 * }</pre>
 *
 * <p>Arguments are compared deeply: lists, maps, arrays and {@code byte[]} by content, integral
 * numbers by value whatever their boxed type ({@code 42} matches {@code 42L}). A call that is not
 * the next expected one fails at once with an {@link AssertionError} showing the step number, the
 * expected call and the actual one. {@link Expectation#fails(String)} makes a step fail the way Kong 2.8
 * reports a failing PDK call ({@code plugin.StepError}): the call throws {@link PdkException}.
 * Every call made is recorded in {@link #calls()}.
 *
 * <p>Not tied to any test framework. Safe to use from one event thread at a time.
 */
public final class MockBridge implements Bridge {

  /**
   * One call the plugin made.
   *
   * @param method the Lua function
   * @param args the arguments as sent
   */
  public record Call(String method, List<Object> args) {

    /** Copies the arguments into an unmodifiable list (which may hold {@code null}s). */
    public Call {
      Objects.requireNonNull(method, "method");
      args = Collections.unmodifiableList(new ArrayList<>(args));
    }

    @Override
    public String toString() {
      return format(method, args);
    }
  }

  private enum Outcome { RETURN, FAIL }

  private record Step(String method, List<Object> args, Outcome outcome, Object value) {}

  private final List<Step> steps = new ArrayList<>();
  private final List<Call> calls = new ArrayList<>();
  private int next;
  private Expectation pending;

  /** Creates a mock with no expected calls. */
  public MockBridge() {}

  /**
   * Adds the next expected call. Complete it with {@link Expectation#returns(Object)}, {@link
   * Expectation#returnsNothing()} or {@link Expectation#fails(String)}.
   *
   * @param method the Lua function, for example {@code "kong.request.get_header"}
   * @param args the expected arguments
   * @return the expectation to complete
   */
  public synchronized Expectation expect(String method, Object... args) {
    return begin(method, args == null ? List.of() : Arrays.asList(args.clone()));
  }

  /**
   * Adds the next expected call, accepting any arguments (for calls whose arguments the test does
   * not care about, such as log messages). Complete it as with {@link #expect(String, Object...)}.
   *
   * @param method the Lua function
   * @return the expectation to complete
   */
  public synchronized Expectation expectAnyArgs(String method) {
    return begin(method, null);
  }

  /** Starts an expectation; {@code null} arguments accept any. */
  private Expectation begin(String method, List<Object> args) {
    Objects.requireNonNull(method, "method");
    if (pending != null) {
      throw new IllegalStateException("the expectation of " + pending.describe()
          + " has no answer yet: call returns(...), returnsNothing() or fails(...) first");
    }
    pending = new Expectation(method, args);
    return pending;
  }

  /** The answer to one expected call. */
  public final class Expectation {
    private final String method;
    private final List<Object> args;

    private Expectation(String method, List<Object> args) {
      this.method = method;
      this.args = args;
    }

    /**
     * Answers the call with {@code value}, as Kong would send it ({@code Integer} and other integral
     * numbers are handed out as {@code Long}, {@code Float} as {@code Double}).
     *
     * @param value the answer; {@code null} is the same as {@link #returnsNothing()}
     * @return the mock, for the next expectation
     */
    public MockBridge returns(Object value) {
      return complete(Outcome.RETURN, widen(value));
    }

    /**
     * Answers the call with no value, as Kong does for setters, absent values and, on Kong 3.x,
     * failed calls.
     *
     * @return the mock, for the next expectation
     */
    public MockBridge returnsNothing() {
      return complete(Outcome.RETURN, null);
    }

    /**
     * Makes the call fail as on Kong 2.8, where a PDK function returning {@code nil, err} is
     * answered with {@code plugin.StepError}: the call throws {@code PdkException(method, message)}.
     *
     * @param message Kong's error message
     * @return the mock, for the next expectation
     */
    public MockBridge fails(String message) {
      return complete(Outcome.FAIL, Objects.requireNonNull(message, "message"));
    }

    private MockBridge complete(Outcome outcome, Object value) {
      synchronized (MockBridge.this) {
        if (pending != this) {
          throw new IllegalStateException("the expectation of " + describe() + " is already answered");
        }
        steps.add(new Step(method, args, outcome, value));
        pending = null;
        return MockBridge.this;
      }
    }

    private String describe() {
      return format(method, args);
    }
  }

  /**
   * The typed PDK over this mock.
   *
   * @return a {@link Kong} whose calls this mock answers
   */
  public Kong kong() {
    return Kong.over(this);
  }

  @Override
  public synchronized Object call(String method, Object... args) {
    List<Object> actual = args == null ? List.of() : Arrays.asList(args.clone());
    calls.add(new Call(method, actual));
    int number = next + 1;
    if (next >= steps.size()) {
      throw new AssertionError("MockBridge: unexpected call " + number + ": " + format(method, actual)
          + "; " + (steps.isEmpty() ? "no calls were expected" : "all " + steps.size()
              + " expected calls were already made"));
    }
    Step step = steps.get(next);
    if (!step.method().equals(method) || step.args() != null && !matches(step.args(), actual)) {
      throw new AssertionError("MockBridge: call " + number + " does not match"
          + "\n  expected: " + format(step.method(), step.args())
          + "\n  actual:   " + format(method, actual));
    }
    next++;
    if (step.outcome() == Outcome.FAIL) {
      throw new PdkException(method, (String) step.value());
    }
    return step.value();
  }

  /**
   * Fails when expected calls were not made, listing them.
   *
   * @throws AssertionError when steps are left over, or an expectation has no answer
   */
  public synchronized void verify() {
    if (pending != null) {
      throw new AssertionError("MockBridge: the expectation of " + pending.describe() + " has no answer");
    }
    if (next < steps.size()) {
      StringJoiner left = new StringJoiner("\n  ");
      for (int i = next; i < steps.size(); i++) {
        left.add((i + 1) + ": " + format(steps.get(i).method(), steps.get(i).args()));
      }
      throw new AssertionError("MockBridge: " + (steps.size() - next) + " expected call(s) not made:\n  "
          + left);
    }
  }

  /**
   * Same as {@link #verify()}.
   *
   * @throws AssertionError when steps are left over
   */
  public void assertAllUsed() {
    verify();
  }

  /**
   * Every call made so far, in order, matched or not.
   *
   * @return an unmodifiable snapshot
   */
  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  private static boolean matches(Object expected, Object actual) {
    expected = widen(expected);
    actual = widen(actual);
    if (expected == null || actual == null) {
      return expected == actual;
    }
    if (expected instanceof byte[] e && actual instanceof byte[] a) {
      return Arrays.equals(e, a);
    }
    if (expected instanceof List<?> e && actual instanceof List<?> a) {
      if (e.size() != a.size()) {
        return false;
      }
      Iterator<?> ai = a.iterator();
      for (Object element : e) {
        if (!matches(element, ai.next())) {
          return false;
        }
      }
      return true;
    }
    if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
      if (e.size() != a.size()) {
        return false;
      }
      for (Map.Entry<?, ?> entry : e.entrySet()) {
        if (!a.containsKey(entry.getKey()) || !matches(entry.getValue(), a.get(entry.getKey()))) {
          return false;
        }
      }
      return true;
    }
    return expected.equals(actual);
  }

  /** Integral numbers as Long, Float as Double, arrays and collections as lists, maps copied. */
  private static Object widen(Object value) {
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    if (value instanceof Object[] array) {
      return widenAll(Arrays.asList(array));
    }
    if (value instanceof Collection<?> collection) {
      return widenAll(collection);
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k, widen(v)));
      return copy;
    }
    return value;
  }

  private static List<Object> widenAll(Collection<?> values) {
    List<Object> list = new ArrayList<>(values.size());
    for (Object element : values) {
      list.add(widen(element));
    }
    return list;
  }

  private static String format(String method, List<Object> args) {
    if (args == null) {
      return method + "(any arguments)";
    }
    StringJoiner joined = new StringJoiner(", ", method + "(", ")");
    for (Object arg : args) {
      joined.add(show(arg));
    }
    return joined.toString();
  }

  private static String show(Object value) {
    if (value == null) {
      return "nil";
    }
    if (value instanceof String s) {
      return '"' + s + '"';
    }
    if (value instanceof byte[] bytes) {
      return "bytes(" + Base64.getEncoder().encodeToString(bytes) + ")";
    }
    if (value instanceof Object[] array) {
      return show(Arrays.asList(array));
    }
    if (value instanceof Collection<?> collection) {
      StringJoiner joined = new StringJoiner(", ", "[", "]");
      collection.forEach(element -> joined.add(show(element)));
      return joined.toString();
    }
    if (value instanceof Map<?, ?> map) {
      StringJoiner joined = new StringJoiner(", ", "{", "}");
      map.forEach((k, v) -> joined.add(show(k) + ": " + show(v)));
      return joined.toString();
    }
    return value + " (" + value.getClass().getSimpleName() + ")";
  }
}
