package dev.kongpdk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.Kong;
import dev.kongpdk.PdkException;
import dev.kongpdk.entity.VaultReference;
import dev.kongpdk.testkit.MockBridge;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** kong.cluster, kong.ip, kong.plugin, kong.vault, kong.telemetry and the raw kong.call. */
class OtherModulesTest {

  private final MockBridge bridge = new MockBridge();

  private Kong kong() {
    return bridge.kong();
  }

  @Test
  void clusterIdIsOptional() {
    bridge.expect("kong.cluster.get_id").returns("c-1")
        .expect("kong.cluster.get_id").returnsNothing();
    assertEquals(Optional.of("c-1"), kong().cluster().getId());
    assertEquals(Optional.empty(), kong().cluster().getId());
  }

  @Test
  void ipIsTrusted() {
    bridge.expect("kong.ip.is_trusted", "127.0.0.1").returns(false)
        .expect("kong.ip.is_trusted", "10.0.0.1").returns(true);
    assertFalse(kong().ip().isTrusted("127.0.0.1"));
    assertTrue(kong().ip().isTrusted("10.0.0.1"));
  }

  @Test
  void pluginIdIsEmptyOnKong28() {
    bridge.expect("kong.plugin.get_id").returns("00000000-0000-4000-8000-030000000001")
        .expect("kong.plugin.get_id").returnsNothing();
    assertEquals(Optional.of("00000000-0000-4000-8000-030000000001"), kong().plugin().getId());
    assertEquals(Optional.empty(), kong().plugin().getId());
  }

  @Test
  void vaultFunctions() {
    bridge.expect("kong.vault.is_reference", "{vault://env/secret}").returns(true)
        .expect("kong.vault.parse_reference", "{vault://env/secret/key?prefix=X}")
        .returns(Map.of("name", "env", "resource", "secret", "key", "key", "config", Map.of("prefix", "X")))
        .expect("kong.vault.parse_reference", "nope").returnsNothing()
        .expect("kong.vault.get", "{vault://env/secret}").returns("s3cr3t")
        .expect("kong.vault.get", "{vault://env/missing}").fails("could not get value from external vault")
        .expect("kong.vault.update", Map.of("password", "{vault://env/pw}")).returns(Map.of("password", "pw"))
        .expect("kong.vault.flush").returnsNothing();
    assertTrue(kong().vault().isReference("{vault://env/secret}"));
    assertEquals(Optional.of(new VaultReference("env", Optional.of("secret"), Optional.of("key"),
        OptionalLong.empty(), Map.of("prefix", "X"))),
        kong().vault().parseReference("{vault://env/secret/key?prefix=X}"));
    assertEquals(Optional.empty(), kong().vault().parseReference("nope"));
    assertEquals(Optional.of("s3cr3t"), kong().vault().get("{vault://env/secret}"));
    assertThrows(PdkException.class, () -> kong().vault().get("{vault://env/missing}"));
    assertEquals(Map.of("password", "pw"), kong().vault().update(Map.of("password", "{vault://env/pw}")));
    kong().vault().flush();
    bridge.verify();
  }

  @Test
  void telemetryLogSendsFiveArgumentsAndRequiresTrue() {
    bridge.expect("kong.telemetry.log", "my-plugin", Map.of("a", 1L), "plugin_log", "hi", Map.of("k", "v"))
        .returns(true)
        .expect("kong.telemetry.log", "my-plugin", Map.of(), "plugin_log", "hi", Map.of()).returnsNothing();
    kong().telemetry().log("my-plugin", Map.of("a", 1), "plugin_log", "hi", Map.of("k", "v"));
    assertThrows(PdkException.class,
        () -> kong().telemetry().log("my-plugin", Map.of(), "plugin_log", "hi", Map.of()));
    bridge.verify();
  }

  @Test
  void rawCallPassesNamesAndValuesThroughAndWrapsTheAnswer() {
    bridge.expect("kong.table.merge", Map.of("a", 1L), Map.of("b", 2L)).returns(Map.of("a", 1L, "b", 2L))
        .expect("kong.nope.nothing").returnsNothing();
    assertEquals(Optional.of(Map.of("a", 1L, "b", 2L)), kong().call("kong.table.merge", Map.of("a", 1), Map.of("b", 2)));
    assertEquals(Optional.empty(), kong().call("kong.nope.nothing"));
    bridge.verify();
    assertEquals(List.of(1L), List.of(((Map<?, ?>) bridge.calls().get(0).args().get(0)).get("a")));
  }
}
