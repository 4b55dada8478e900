package dev.kongpdk.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays every message real Kong sent in the recorded "hello" runs (first request, deny with
 * exit, reuse, reconfiguration, server restart, three parallel requests) against this server and
 * checks each answer against the recorded one. Instance and event ids are this server's own, so
 * they are translated; everything else must match.
 */
@Timeout(30)
class TraceReplayTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] FILES = {
    "hello-01-hello", "hello-02-deny", "hello-03-hello-again", "hello-04-after-reconfigure",
    "hello-05-after-restart", "hello-06-after-restart-2", "hello-07-parallel-3"
  };

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"kong-3.9.3", "kong-2.8.5"})
  void theHelloRunsOfRealKongGetTheRecordedAnswers(String kongVersion) throws Exception {
    Path socket = dir.resolve("hello.socket");
    Map<Long, Long> instanceIds = new HashMap<>();
    Map<Long, Long> eventIds = new HashMap<>();
    Map<Integer, KongWire> connections = new HashMap<>();
    Map<Integer, JsonNode> pending = new HashMap<>();
    PluginServer server = start(socket);
    int answers = 0;
    try {
      for (String file : FILES) {
        if (file.equals("hello-05-after-restart")) {
          server.close(); // the recorded server was killed and Kong started a new one
          server = start(socket);
        }
        for (JsonNode line : lines(kongVersion + "/" + file + ".jsonl")) {
          int conn = line.get("conn").asInt();
          if (line.has("event")) {
            if (line.get("event").asText().equals("open")) {
              connections.put(conn, new KongWire(socket));
            } else {
              KongWire closed = connections.remove(conn);
              if (closed != null) {
                closed.close();
              }
            }
            continue;
          }
          KongWire wire = connections.get(conn);
          JsonNode msg = line.get("msg");
          if (line.get("dir").asText().equals("kong->server")) {
            String method = msg.get(2).asText();
            Object param = translate(method, toJava(msg.get(3).get(0)), instanceIds, eventIds);
            wire.send(msg.get(1).asLong(), method, param);
            pending.put(conn, msg);
          } else {
            JsonNode request = pending.remove(conn);
            KongWire.Response response = wire.read(msg.get(1).asLong());
            check(request.get(2).asText(), msg, response, instanceIds, eventIds);
            answers++;
          }
        }
      }
    } finally {
      for (KongWire wire : connections.values()) {
        wire.close();
      }
      server.close();
    }
    assertTrue(answers >= 45, "replayed " + answers + " answers");
  }

  private static PluginServer start(Path socket) throws IOException {
    return PluginServer.builder().plugin(TraceHelloPlugin.descriptor()).socket(socket).start();
  }

  private static void check(String method, JsonNode recorded, KongWire.Response response,
      Map<Long, Long> instanceIds, Map<Long, Long> eventIds) {
    JsonNode recordedError = recorded.get(2);
    if (!recordedError.isNull()) {
      assertNotNull(response.error(), method + " must fail like " + recordedError);
      assertTrue(response.error().startsWith("no plugin instance"), response.error());
      return;
    }
    assertNull(response.error(), () -> method + " failed: " + response.error());
    JsonNode result = recorded.get(3);
    switch (method) {
      case "plugin.StartInstance" ->
          instanceIds.put(result.get("Id").asLong(), ((Number) response.map().get("Id")).longValue());
      case "plugin.CloseInstance" -> { } // Kong ignores the answer
      default -> {
        if (method.equals("plugin.HandleEvent")) {
          eventIds.put(result.get("EventId").asLong(), response.eventId());
        }
        assertEquals(toJava(result.get("Data")), response.data(), method);
      }
    }
  }

  private static Object translate(String method, Object param, Map<Long, Long> instanceIds,
      Map<Long, Long> eventIds) {
    if (method.equals("plugin.CloseInstance")) {
      return instanceIds.get((Long) param);
    }
    if (!(param instanceof Map<?, ?> map)) {
      return param;
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put((String) k, v));
    if (copy.containsKey("InstanceId")) {
      copy.put("InstanceId", instanceIds.get((Long) copy.get("InstanceId")));
    }
    if (copy.containsKey("EventId")) {
      copy.put("EventId", eventIds.get((Long) copy.get("EventId")));
    }
    return copy;
  }

  private static Object toJava(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(e -> list.add(toJava(e)));
      return list;
    }
    Map<String, Object> map = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> map.put(e.getKey(), toJava(e.getValue())));
    return map;
  }

  private static List<JsonNode> lines(String resource) throws IOException {
    try (InputStream in = TraceReplayTest.class.getResourceAsStream("/kong-traces/" + resource)) {
      assertNotNull(in, resource);
      List<JsonNode> lines = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          lines.add(JSON.readTree(line));
        }
      }
      return lines;
    }
  }
}
