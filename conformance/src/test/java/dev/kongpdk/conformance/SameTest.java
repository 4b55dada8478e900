package dev.kongpdk.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SameTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode java(Object value) {
    return JSON.valueToTree(Canonical.of(value));
  }

  private static JsonNode lua(String json) throws Exception {
    return JSON.readTree(json);
  }

  @Test
  void theBridgeRulesMakeEqualWhatKongAndJavaMeanAlike() throws Exception {
    assertNull(Same.problem(java(Optional.empty()), null));
    assertNull(Same.problem(java(OptionalInt.of(200)), lua("200")));
    assertNull(Same.problem(java(1.1), lua("1.1")));
    assertNull(Same.problem(java(Map.of()), lua("[]")));
    assertNull(Same.problem(java(List.of()), null));
    assertNull(Same.problem(java(Map.of("a", List.of("1", "2"))), lua("{\"a\":[\"1\",\"2\"]}")));
    assertNull(Same.problem(java("bin".getBytes()), lua("\"bin\"")));
  }

  @Test
  void aDifferenceNamesWhereItIs() throws Exception {
    assertEquals("at a[1]: Java \"2\", Lua \"3\"",
        Same.problem(java(Map.of("a", List.of("1", "2"))), lua("{\"a\":[\"1\",\"3\"]}")));
    assertEquals("Java nothing, Lua \"x\"", Same.problem(java(Optional.empty()), lua("\"x\"")));
    assertEquals("Java 200, Lua 201", Same.problem(java(200), lua("201")));
  }
}
