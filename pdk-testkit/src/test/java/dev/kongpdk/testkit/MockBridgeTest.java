package dev.kongpdk.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.PdkException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MockBridgeTest {

  @Test
  void answersExpectedCallsInOrder() {
    MockBridge bridge = new MockBridge()
        .expect("kong.request.get_header", "host").returns("example.com")
        .expect("kong.response.set_header", "X", "1").returnsNothing();
    assertEquals("example.com", bridge.call("kong.request.get_header", "host"));
    assertNull(bridge.call("kong.response.set_header", "X", "1"));
    assertDoesNotThrow(bridge::verify);
  }

  @Test
  void aCallOutOfOrderFailsWithStepNumberExpectedAndActual() {
    MockBridge bridge = new MockBridge()
        .expect("kong.request.get_header", "host").returns("example.com");
    AssertionError e = assertThrows(AssertionError.class,
        () -> bridge.call("kong.request.get_header", "Host"));
    assertTrue(e.getMessage().contains("call 1"), e.getMessage());
    assertTrue(e.getMessage().contains("expected: kong.request.get_header(\"host\")"), e.getMessage());
    assertTrue(e.getMessage().contains("actual:   kong.request.get_header(\"Host\")"), e.getMessage());
  }

  @Test
  void aCallBeyondTheScriptFails() {
    MockBridge bridge = new MockBridge();
    AssertionError e = assertThrows(AssertionError.class, () -> bridge.call("kong.node.get_id"));
    assertTrue(e.getMessage().contains("unexpected call 1: kong.node.get_id()"), e.getMessage());
  }

  @Test
  void verifyListsCallsNotMade() {
    MockBridge bridge = new MockBridge()
        .expect("kong.node.get_id").returns("n")
        .expect("kong.node.get_hostname").returns("h");
    bridge.call("kong.node.get_id");
    AssertionError e = assertThrows(AssertionError.class, bridge::assertAllUsed);
    assertTrue(e.getMessage().contains("2: kong.node.get_hostname()"), e.getMessage());
  }

  @Test
  void verifyFailsOnAnExpectationWithoutAnswer() {
    MockBridge bridge = new MockBridge();
    bridge.expect("kong.node.get_id");
    assertThrows(AssertionError.class, bridge::verify);
    assertThrows(IllegalStateException.class, () -> bridge.expect("kong.node.get_hostname"));
  }

  @Test
  void failsThrowsPdkExceptionLikeKong28StepError() {
    MockBridge bridge = new MockBridge().expect("kong.service.set_upstream", "u").fails("no upstream");
    PdkException e = assertThrows(PdkException.class, () -> bridge.call("kong.service.set_upstream", "u"));
    assertEquals("kong.service.set_upstream", e.method());
    assertEquals("kong.service.set_upstream: no upstream", e.getMessage());
  }

  @Test
  void argumentsCompareDeeplyAndIntegersByValue() {
    MockBridge bridge = new MockBridge()
        .expect("f", 42, List.of(1, "a"), Map.of("k", new byte[] {1, 2}), new Object[] {1.5f})
        .returns(7);
    Object answer = bridge.call("f", 42L, List.of(1L, "a"), Map.of("k", new byte[] {1, 2}), List.of(1.5));
    assertEquals(7L, answer, "integral answers are handed out as Long, as Kong's values are");
    bridge.verify();
  }

  @Test
  void expectAnyArgsAcceptsAnyArgumentsButStillChecksTheMethod() {
    MockBridge bridge = new MockBridge()
        .expectAnyArgs("kong.log.err").returnsNothing()
        .expectAnyArgs("kong.log.err").returnsNothing();
    bridge.call("kong.log.err", "anything", "at all");
    AssertionError e = assertThrows(AssertionError.class, () -> bridge.call("kong.log.warn", "x"));
    assertTrue(e.getMessage().contains("expected: kong.log.err(any arguments)"), e.getMessage());
  }

  @Test
  void bytesWithDifferentContentDoNotMatch() {
    MockBridge bridge = new MockBridge().expect("f", (Object) new byte[] {1}).returnsNothing();
    assertThrows(AssertionError.class, () -> bridge.call("f", (Object) new byte[] {2}));
  }

  @Test
  void mapsWithDifferentKeysDoNotMatch() {
    MockBridge bridge = new MockBridge().expect("f", Map.of("a", 1)).returnsNothing();
    assertThrows(AssertionError.class, () -> bridge.call("f", Map.of("b", 1)));
  }

  @Test
  void recordsEveryCallIncludingTheFailingOne() {
    MockBridge bridge = new MockBridge().expect("a").returnsNothing();
    bridge.call("a");
    assertThrows(AssertionError.class, () -> bridge.call("b", "x"));
    assertEquals(List.of(new MockBridge.Call("a", List.of()), new MockBridge.Call("b", List.of("x"))),
        bridge.calls());
  }

  @Test
  void kongRunsTheTypedApiOverTheMock() {
    MockBridge bridge = new MockBridge().expect("kong.request.get_header", "host").returns("example.com");
    assertEquals("example.com", bridge.kong().request().getHeader("host").orElseThrow());
  }
}
