package dev.kongpdk.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** Judges one row from the probe's report, Kong's trace and what the client and upstream saw. */
final class Judge {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Judge() {}

  static Verdict judge(Case c, Case.Check check, JsonNode report, Observed seen, Trace trace, String log) {
    if (report == null) {
      return new Verdict("fail", "the probe reported nothing" + kongError(log, c));
    }
    if (report.has("error")) {
      String error = report.get("error").asText();
      if (error.contains(ConformanceRun.REFUSED_MARK)) {
        return new Verdict("refused", error);
      }
      if (check.error() != null && error.contains(check.error().text())) {
        return new Verdict("ok", "fails as documented: " + check.error().reason() + " (" + error + ")");
      }
      Trace.Call call = find(trace, c);
      if (call != null && call.result().error() != null && error.contains(call.result().error())) {
        return new Verdict("ok", "Kong 2.8 answered nil, err (StepError \"" + call.result().error()
            + "\"): the Java call throws PdkException with Kong's message");
      }
      return new Verdict("fail", "threw " + error + kongError(log, c));
    }
    JsonNode javaValue = report.get("value");
    if (check.error() != null) {
      return new Verdict("fail", "returned " + Same.show(javaValue) + ", expected a PdkException: "
          + check.error().reason());
    }
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    if (check.luaView() != null) {
      Trace.Call call = find(trace, c);
      if (call == null) {
        problems.add("Kong's trace has no call of " + c.lua() + " in the " + c.phase().luaName() + " event");
      } else if (call.result().error() != null) {
        problems.add("Kong answered with the error \"" + call.result().error() + "\" but Java returned "
            + Same.show(javaValue));
      } else if (call.result().untraced() != null) {
        if (check.expected() == null) {
          problems.add("Kong's value is not in the trace: " + call.result().untraced());
        } else {
          notes.add("Kong's value is not in the trace (" + call.result().untraced() + "); checked against the request");
        }
      } else {
        Object lua = JSON.convertValue(call.result().value(), Object.class);
        String p = Same.problem(javaValue, JSON.valueToTree(check.luaView().apply(lua)));
        if (p != null) {
          problems.add("differs from Kong's Lua value: " + p);
        }
      }
    }
    if (check.expected() != null) {
      String p;
      if (check.expected() instanceof ValueTest test) {
        p = test.problem(JSON.convertValue(javaValue, Object.class));
      } else {
        Object expected = check.expected() == Case.Check.NULL ? null : Canonical.of(check.expected());
        p = Same.problem(javaValue, JSON.valueToTree(expected));
      }
      if (p != null) {
        problems.add("not what the request implies: " + p);
      }
    }
    if (check.effect() != null) {
      String p = check.effect().problem(seen);
      if (p != null) {
        problems.add(p);
      }
    }
    if (log.contains("could not find pdk method: " + c.lua() + "\n")
        || log.contains("could not find pdk method: " + c.lua() + ",")) {
      problems.add("this Kong has no " + c.lua() + " (its log says \"could not find pdk method\") and Java did not refuse it");
    }
    if (!problems.isEmpty()) {
      return new Verdict("fail", String.join("; ", problems));
    }
    if (check.note() != null) {
      notes.add(check.note());
    }
    return new Verdict("ok", String.join("; ", notes));
  }

  /** The row's call of its Lua function in the (last) event the row ran in, or null. */
  static Trace.Call find(Trace trace, Case c) {
    List<Trace.Event> events = trace.events();
    for (Trace.Event event : events.reversed()) {
      if (!event.phase().equals(c.phase().luaName()) || event.calls().isEmpty()) {
        continue;
      }
      Trace.Call first = event.calls().getFirst();
      JsonNode named = first.result().value();
      if (!first.method().equals("kong.request.get_header") || named == null || !named.asText().equals(c.id())) {
        continue;
      }
      Trace.Call found = null;
      for (Trace.Call call : event.calls().subList(1, event.calls().size())) {
        if (call.method().equals(c.lua())) {
          found = call;
        }
      }
      return found;
    }
    return null;
  }

  /** Kong's last error-log complaint about the row's function, as a hint. */
  private static String kongError(String log, Case c) {
    String name = c.lua().substring(c.lua().lastIndexOf('.') + 1);
    String hint = null;
    for (String line : log.split("\n")) {
      if ((line.contains("[error]") || line.contains("[crit]")) && line.contains(name) && !line.contains("[harness-trace]")) {
        hint = line;
      }
    }
    if (hint == null) {
      return "";
    }
    int at = hint.indexOf("): ");
    String text = at >= 0 ? hint.substring(at + 3) : hint;
    int ctx = text.indexOf(", client: ");
    if (ctx >= 0) {
      text = text.substring(0, ctx);
    }
    return "; Kong's log: " + (text.length() > 300 ? text.substring(0, 297) + "..." : text);
  }
}
