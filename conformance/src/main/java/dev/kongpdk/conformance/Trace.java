package dev.kongpdk.conformance;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PDK calls of each event, rebuilt from the harness's {@code TRACE=1} lines
 * ({@code [harness-trace] <rpc method> <params as JSON> -> <reply as JSON>}): for every call the
 * plugin server asked for, the value Kong's Lua returned, as the next Step carried it.
 *
 * <p>Two limits of the trace are kept visible rather than guessed around: a value Kong packs with
 * a function (binary bodies, empty multimaps) is logged as {@code ?}, and nginx cuts error-log
 * lines at 2048 bytes, so a long value is lost. Such results are {@link Result#untraced}.
 */
public final class Trace {

  private static final String MARK = "[harness-trace] ";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One PDK call and Kong's answer. */
  public record Call(String method, JsonNode args, Result result) {}

  /**
   * Kong's answer to a call.
   *
   * @param value the value, or null when Kong sent no {@code Data} (nil)
   * @param error the {@code StepError} text (Kong 2.8), or null
   * @param untraced why the value is not known, or null when it is
   */
  public record Result(JsonNode value, String error, String untraced) {}

  /** One event: its phase and its calls in order. */
  public static final class Event {
    final long id;
    final String phase;
    final List<Call> calls = new ArrayList<>();
    String pendingMethod;
    JsonNode pendingArgs;

    Event(long id, String phase) {
      this.id = id;
      this.phase = phase;
    }

    public String phase() {
      return phase;
    }

    public List<Call> calls() {
      return calls;
    }
  }

  private final Map<Long, Event> events = new LinkedHashMap<>();

  /** Reads every trace line of an error log. */
  public static Trace parse(String log) {
    Trace trace = new Trace();
    for (String line : log.split("\n")) {
      int at = line.indexOf(MARK);
      if (at >= 0) {
        trace.line(line.substring(at + MARK.length()));
      }
    }
    return trace;
  }

  /** Returns the events in the order they started. */
  public List<Event> events() {
    return List.copyOf(events.values());
  }

  private void line(String text) {
    int space = text.indexOf(' ');
    if (space < 0) {
      return;
    }
    String rpc = text.substring(0, space);
    String rest = text.substring(space + 1);
    Parsed params = json(rest);
    JsonNode reply = null;
    if (params != null) {
      String after = rest.substring(params.end);
      if (after.startsWith(" -> ")) {
        Parsed r = json(after.substring(4));
        reply = r == null ? null : r.node;
      }
    } else if (rest.startsWith("? -> ")) {
      Parsed r = json(rest.substring(5));
      reply = r == null ? null : r.node;
    }
    JsonNode param = params == null ? null : params.node.path(0);
    if (rpc.equals("plugin.HandleEvent")) {
      if (param == null || reply == null || !reply.has("EventId")) {
        poisonPending("a HandleEvent line could not be read");
        return;
      }
      Event event = new Event(reply.get("EventId").asLong(), param.path("EventName").asText());
      events.put(event.id, event);
      expect(event, reply);
      return;
    }
    if (!rpc.startsWith("plugin.Step")) {
      return;
    }
    Long eventId = null;
    if (param != null && param.has("EventId")) {
      eventId = param.get("EventId").asLong();
    } else if (reply != null && reply.has("EventId")) {
      eventId = reply.get("EventId").asLong();
    }
    if (eventId == null) {
      poisonPending("a Step line was cut short by nginx's 2048-byte log line limit");
      return;
    }
    Event event = events.get(eventId);
    if (event == null || event.pendingMethod == null) {
      return;
    }
    Result result;
    if (param == null) {
      result = new Result(null, null, "Kong packed the value with a function (the trace shows '?')");
    } else if (rpc.equals("plugin.StepError")) {
      result = new Result(null, param.path("Data").asText(), null);
    } else {
      result = new Result(param.get("Data"), null, null);
    }
    event.calls.add(new Call(event.pendingMethod, event.pendingArgs, result));
    event.pendingMethod = null;
    if (reply != null) {
      expect(event, reply);
    } else {
      event.pendingMethod = "?";
    }
  }

  private static void expect(Event event, JsonNode reply) {
    JsonNode data = reply.get("Data");
    if (data != null && data.isObject() && data.has("Method")) {
      event.pendingMethod = data.get("Method").asText();
      event.pendingArgs = data.get("Args");
    }
  }

  private void poisonPending(String why) {
    for (Event event : events.values()) {
      if (event.pendingMethod != null) {
        event.calls.add(new Call(event.pendingMethod, event.pendingArgs, new Result(null, null, why)));
        event.pendingMethod = "?";
      }
    }
  }

  private record Parsed(JsonNode node, int end) {}

  private static Parsed json(String text) {
    try (JsonParser parser = JSON.createParser(text)) {
      JsonNode node = parser.readValueAsTree();
      if (node == null) {
        return null;
      }
      return new Parsed(node, (int) parser.currentLocation().getCharOffset());
    } catch (IOException e) {
      return null;
    }
  }
}
