package dev.kongpdk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kongpdk.Log;
import dev.kongpdk.PdkException;
import dev.kongpdk.testkit.MockBridge;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogTest {

  private final MockBridge bridge = new MockBridge();

  private Log log() {
    return bridge.kong().log();
  }

  @Test
  void everyLevelSendsItsPartsAsStrings() {
    bridge.expect("kong.log.emerg", "a").returnsNothing()
        .expect("kong.log.alert", "a").returnsNothing()
        .expect("kong.log.crit", "a").returnsNothing()
        .expect("kong.log.err", "failed: ", "42").returnsNothing()
        .expect("kong.log.warn", "a").returnsNothing()
        .expect("kong.log.notice", "hello plugin: greeted alice mode=hello").returnsNothing()
        .expect("kong.log.info", "null").returnsNothing()
        .expect("kong.log.debug").returnsNothing()
        .expect("kong.log.deprecation", "old").returnsNothing();
    Log log = log();
    log.emerg("a");
    log.alert("a");
    log.crit("a");
    log.err("failed: ", 42);
    log.warn("a");
    log.notice("hello plugin: greeted alice mode=hello");
    log.info((Object) null);
    log.debug();
    log.deprecation("old");
    bridge.verify();
  }

  @Test
  void inspectSendsValuesAsTables() {
    bridge.expect("kong.log.inspect", Map.of("a", 1L), "nil", List.of("x")).returnsNothing()
        .expect("kong.log.inspect.on").returnsNothing()
        .expect("kong.log.inspect.off").returnsNothing()
        .expect("kong.log.set_format", "%namespace %message").returnsNothing();
    log().inspect(Map.of("a", 1), null, List.of("x"));
    log().inspectOn();
    log().inspectOff();
    log().setFormat("%namespace %message");
    bridge.verify();
  }

  @Test
  void setSerializeValueSendsModeAsAnOptionsTable() {
    bridge.expect("kong.log.set_serialize_value", "request.headers.x-id", "abc").returnsNothing()
        .expect("kong.log.set_serialize_value", "custom", Map.of("n", 1L), Map.of("mode", "add")).returnsNothing()
        .expect("kong.log.set_serialize_value", "custom").returnsNothing();
    log().setSerializeValue("request.headers.x-id", "abc");
    log().setSerializeValue("custom", Map.of("n", 1), Log.SerializeMode.ADD);
    log().setSerializeValue("custom", null);
    bridge.verify();
    assertThrows(IllegalArgumentException.class,
        () -> log().setSerializeValue("custom", null, Log.SerializeMode.REPLACE));
  }

  @Test
  void serializeReturnsKongsJsonText() {
    String json = "{\"started_at\":1795689785573,\"source\":\"upstream\"}";
    bridge.expect("kong.log.serialize").returns(json)
        .expect("kong.log.serialize").returnsNothing();
    assertEquals(json, log().serialize());
    assertThrows(PdkException.class, () -> log().serialize());
  }
}
