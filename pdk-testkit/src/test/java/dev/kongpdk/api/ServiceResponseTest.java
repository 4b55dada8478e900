package dev.kongpdk.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kongpdk.PdkException;
import dev.kongpdk.ServiceResponse;
import dev.kongpdk.testkit.MockBridge;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ServiceResponseTest {

  private final MockBridge bridge = new MockBridge();

  private ServiceResponse upstream() {
    return bridge.kong().service().response();
  }

  @Test
  void statusIsEmptyWhenTheRequestWasNotProxied() {
    bridge.expect("kong.service.response.get_status").returns(200L)
        .expect("kong.service.response.get_status").returnsNothing();
    assertEquals(OptionalInt.of(200), upstream().getStatus());
    assertEquals(OptionalInt.empty(), upstream().getStatus());
  }

  @Test
  void headersAndHeaderDecode() {
    bridge.expect("kong.service.response.get_header", "x-echo-upstream").returns("1")
        .expect("kong.service.response.get_headers").returns(Map.of())
        .expect("kong.service.response.get_headers", 20L).returns(Map.of("Content-Type", List.of("text/plain")));
    assertEquals(Optional.of("1"), upstream().getHeader("x-echo-upstream"));
    assertEquals(Map.of(), upstream().getHeaders());
    assertEquals(List.of("text/plain"), upstream().getHeaders(20).get("content-type"));
    bridge.verify();
  }

  @Test
  void rawBodyIsBytesFromBinOrStr() {
    String json = "{\"body\":\"probe upstream body\"}";
    bridge.expect("kong.service.response.get_raw_body").returns(json.getBytes(StandardCharsets.UTF_8))
        .expect("kong.service.response.get_raw_body").returns(json)
        .expect("kong.service.response.get_raw_body").returnsNothing();
    assertArrayEquals(json.getBytes(StandardCharsets.UTF_8), upstream().getRawBody().orElseThrow());
    assertArrayEquals(json.getBytes(StandardCharsets.UTF_8), upstream().getRawBody().orElseThrow());
    assertEquals(Optional.empty(), upstream().getRawBody());
  }

  @Test
  void bodyDecodesOrIsEmptyOrFailsOn28() {
    bridge.expect("kong.service.response.get_body").returns(Map.of("ok", true))
        .expect("kong.service.response.get_body", "application/json").returnsNothing()
        .expect("kong.service.response.get_body", "application/x-www-form-urlencoded", 5L)
        .fails("missing content type");
    assertEquals(Map.of("ok", true), upstream().getBody().orElseThrow());
    assertEquals(Optional.empty(), upstream().getBody("application/json"));
    assertThrows(PdkException.class, () -> upstream().getBody("application/x-www-form-urlencoded", 5));
    bridge.verify();
  }
}
