package dev.kongpdk.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class TraceTest {

  private static final String PREFIX = "2026/12/06 21:24:03 [notice] 1#1: *6 [lua] trace.lua:13: call(): [harness-trace] ";

  @Test
  void rebuildsEachCallWithTheValueTheNextStepCarried() {
    String log = String.join("\n",
        PREFIX + "plugin.HandleEvent [{\"EventName\":\"access\",\"InstanceId\":3}] -> {\"EventId\":7,\"Data\":{\"Args\":[\"host\"],\"Method\":\"kong.request.get_header\"}}, client: 127.0.0.1",
        "2026/12/06 21:24:03 [notice] 1#1: unrelated line",
        PREFIX + "plugin.Step [{\"EventId\":7,\"Data\":\"example.test\"}] -> {\"EventId\":7,\"Data\":{\"Args\":[],\"Method\":\"kong.request.get_query\"}}",
        PREFIX + "plugin.StepMultiMap ? -> {\"EventId\":7,\"Data\":{\"Args\":[],\"Method\":\"kong.service.set_upstream\"}}",
        PREFIX + "plugin.StepError [{\"EventId\":7,\"Data\":\"could not find an Upstream\"}] -> {\"EventId\":7,\"Data\":{\"Args\":[\"x\"],\"Method\":\"kong.response.set_header\"}}",
        PREFIX + "plugin.Step [{\"EventId\":7}] -> {\"EventId\":7,\"Data\":\"ret\"}");

    List<Trace.Event> events = Trace.parse(log).events();

    assertEquals(1, events.size());
    Trace.Event event = events.get(0);
    assertEquals("access", event.phase());
    List<Trace.Call> calls = event.calls();
    assertEquals(List.of("kong.request.get_header", "kong.request.get_query", "kong.service.set_upstream",
        "kong.response.set_header"), calls.stream().map(Trace.Call::method).toList());
    assertEquals("example.test", calls.get(0).result().value().asText());
    assertEquals("Kong packed the value with a function (the trace shows '?')", calls.get(1).result().untraced());
    assertEquals("could not find an Upstream", calls.get(2).result().error());
    assertNull(calls.get(3).result().value());
    assertNull(calls.get(3).result().untraced());
  }

  @Test
  void aLineCutShortByNginxMarksThePendingCallsUntraced() {
    String log = String.join("\n",
        PREFIX + "plugin.HandleEvent [{\"EventName\":\"log\",\"InstanceId\":3}] -> {\"EventId\":9,\"Data\":{\"Args\":[],\"Method\":\"kong.log.serialize\"}}",
        PREFIX + "plugin.Step [{\"EventId\":9,\"Data\":\"{\\\"request\\\":{\\\"headers\\\":{\\\"a\\\":");

    Trace.Call call = Trace.parse(log).events().get(0).calls().get(0);

    assertEquals("kong.log.serialize", call.method());
    assertEquals("a Step line was cut short by nginx's 2048-byte log line limit", call.result().untraced());
  }
}
