package dev.kongpdk.bridge.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kongpdk.bridge.ConfigException;
import dev.kongpdk.plugin.InstanceInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigBinderTest {

  enum Mode {
    FAST,
    @JsonProperty("slow-mode")
    SLOW
  }

  record Limits(int max, Optional<Double> ratio) {}

  record Config(
      String message,
      String name,
      @JsonProperty("upstream_url") String upstreamUrl,
      Optional<String> token,
      int count,
      double ratio,
      boolean enabled,
      List<String> tags,
      Set<String> ids,
      Map<String, Integer> weights,
      Mode mode,
      Limits limits,
      List<Limits> tiers,
      Optional<Limits> extra) {}

  /** What the processor writes for {@link Config} with defaults on message, count, ratio, ... */
  private static final String LIMITS_FIELDS =
      "[{\"max\":{\"type\":\"integer\",\"default\":10,\"between\":[1,100]}},"
          + "{\"ratio\":{\"type\":\"number\",\"gt\":0}}]";

  private static final String CONFIG_FIELDS =
      "[{\"message\":{\"type\":\"string\",\"default\":\"hello\"}},"
          + "{\"name\":{\"type\":\"string\",\"required\":true}},"
          + "{\"upstream_url\":{\"type\":\"string\",\"match\":\"^https?://\"}},"
          + "{\"token\":{\"type\":\"string\"}},"
          + "{\"count\":{\"type\":\"integer\",\"default\":3}},"
          + "{\"ratio\":{\"type\":\"number\",\"default\":0.5}},"
          + "{\"enabled\":{\"type\":\"boolean\",\"default\":true}},"
          + "{\"tags\":{\"type\":\"array\",\"default\":[\"a\",\"b\"],\"elements\":{\"type\":\"string\"}}},"
          + "{\"ids\":{\"type\":\"set\",\"elements\":{\"type\":\"string\",\"uuid\":true}}},"
          + "{\"weights\":{\"type\":\"map\",\"keys\":{\"type\":\"string\"},\"values\":{\"type\":\"integer\"}}},"
          + "{\"mode\":{\"type\":\"string\",\"default\":\"FAST\",\"one_of\":[\"FAST\",\"slow-mode\"]}},"
          + "{\"limits\":{\"type\":\"record\",\"required\":true,\"fields\":" + LIMITS_FIELDS + "}},"
          + "{\"tiers\":{\"type\":\"array\",\"elements\":{\"type\":\"record\",\"fields\":" + LIMITS_FIELDS + "}}},"
          + "{\"extra\":{\"type\":\"record\",\"fields\":" + LIMITS_FIELDS + "}}]";

  private static final TestDescriptor PLUGIN = new TestDescriptor(Config.class, CONFIG_FIELDS);

  private final ConfigBinder binder = new ConfigBinder();

  private Config bind(String json) throws ConfigException {
    return (Config) binder.bind(PLUGIN, json);
  }

  private String error(String json) {
    return assertThrows(ConfigException.class, () -> bind(json)).getMessage();
  }

  @Test
  void absentFields_getTheSchemaDefaults_evenInsideRequiredRecords() throws Exception {
    Config config = bind("{\"name\":\"n\"}");

    assertEquals("hello", config.message());
    assertEquals(3, config.count());
    assertEquals(0.5, config.ratio());
    assertEquals(true, config.enabled());
    assertEquals(List.of("a", "b"), config.tags());
    assertEquals(Mode.FAST, config.mode());
    assertEquals(new Limits(10, Optional.empty()), config.limits());
    assertEquals(Optional.empty(), config.token());
    assertEquals(Optional.empty(), config.extra());
    assertNull(config.upstreamUrl());
    assertNull(config.ids());
  }

  @Test
  void jsonNull_isTreatedAsAbsent() throws Exception {
    Config config =
        bind("{\"name\":\"n\",\"message\":null,\"count\":null,\"token\":null,\"limits\":{\"max\":null}}");

    assertEquals("hello", config.message());
    assertEquals(3, config.count());
    assertEquals(Optional.empty(), config.token());
    assertEquals(10, config.limits().max());
  }

  @Test
  void givenValues_winOverDefaults_andNestedRecordsGetTheirOwnDefaults() throws Exception {
    Config config =
        bind(
            "{\"name\":\"n\",\"message\":\"hi\",\"count\":7,\"ratio\":1,\"enabled\":false,"
                + "\"upstream_url\":\"https://x\",\"token\":\"t\",\"tags\":[],"
                + "\"ids\":[\"00000000-0000-4000-8000-000000000001\"],\"weights\":{\"a\":1},"
                + "\"mode\":\"slow-mode\",\"limits\":{\"max\":50,\"ratio\":0.25},"
                + "\"tiers\":[{\"ratio\":2},{\"max\":1}],\"extra\":{}}");

    assertEquals("hi", config.message());
    assertEquals(7, config.count());
    assertEquals(1.0, config.ratio());
    assertEquals(false, config.enabled());
    assertEquals("https://x", config.upstreamUrl());
    assertEquals(Optional.of("t"), config.token());
    assertEquals(List.of(), config.tags());
    assertEquals(Set.of("00000000-0000-4000-8000-000000000001"), config.ids());
    assertEquals(Map.of("a", 1), config.weights());
    assertEquals(Mode.SLOW, config.mode());
    assertEquals(new Limits(50, Optional.of(0.25)), config.limits());
    assertEquals(
        List.of(new Limits(10, Optional.of(2.0)), new Limits(1, Optional.empty())), config.tiers());
    assertEquals(Optional.of(new Limits(10, Optional.empty())), config.extra());
  }

  @Test
  void kongInjectedKeysAndUnknownKeys_areIgnored() throws Exception {
    Config config =
        bind(
            "{\"name\":\"n\",\"__seq__\":12,\"__key__\":\"plugins:test::::\",\"__plugin_id\":\"p\","
                + "\"__ws_id\":\"w\",\"route_id\":\"r\",\"service_id\":\"s\",\"consumer_id\":\"c\","
                + "\"plugin_instance_name\":\"i\",\"$refs\":{\"name\":\"{vault://env/x}\"},"
                + "\"something_new\":[1,2]}");

    assertEquals("n", config.name());
  }

  @Test
  void requiredField_missing_isNamed() {
    assertEquals("config.name: required field missing", error("{}"));
  }

  @Test
  void wrongTypes_nameTheFieldPath_andTheValue() {
    assertEquals(
        "config.limits.max: expected an integer but got a string",
        error("{\"name\":\"n\",\"limits\":{\"max\":\"x\"}}"));
    assertEquals("config.count: expected an integer but got a number", error("{\"name\":\"n\",\"count\":1.5}"));
    assertEquals("config.name: expected a string but got an integer", error("{\"name\":12}"));
    assertEquals("config.ratio: expected a number but got a string", error("{\"name\":\"n\",\"ratio\":\"1\"}"));
    assertEquals("config.enabled: expected a boolean but got a string", error("{\"name\":\"n\",\"enabled\":\"yes\"}"));
    assertEquals("config.tags: expected an array but got a string", error("{\"name\":\"n\",\"tags\":\"a\"}"));
    assertEquals("config.ids: expected a set but got an object", error("{\"name\":\"n\",\"ids\":{}}"));
    assertEquals("config.weights: expected a map but got an array", error("{\"name\":\"n\",\"weights\":[1]}"));
    assertEquals("config.limits: expected a record but got an integer", error("{\"name\":\"n\",\"limits\":5}"));
    assertEquals("config.tags[1]: expected a string but got an integer", error("{\"name\":\"n\",\"tags\":[\"a\",2]}"));
    assertEquals("config.tags[0]: required field missing", error("{\"name\":\"n\",\"tags\":[null]}"));
    assertEquals("config.weights.b: expected an integer but got a boolean", error("{\"name\":\"n\",\"weights\":{\"a\":1,\"b\":true}}"));
    assertEquals("config.tiers[0].max: value should be between 1 and 100", error("{\"name\":\"n\",\"tiers\":[{\"max\":0}]}"));
  }

  @Test
  void wholeNumberForAnInteger_isAccepted() throws Exception {
    assertEquals(4, bind("{\"name\":\"n\",\"count\":4.0}").count());
  }

  @Test
  void everyProblem_isReported() {
    assertEquals(
        "config.name: required field missing; config.count: expected an integer but got a string;"
            + " config.mode: expected one of: FAST, slow-mode",
        error("{\"count\":\"3\",\"mode\":\"slow\"}"));
  }

  @Test
  void emptyString_isRejectedAsInKong() {
    assertEquals("config.name: length must be at least 1", error("{\"name\":\"\"}"));
  }

  @Test
  void malformedJson_isAConfigError() {
    assertEquals(true, error("{\"name\":").startsWith("config: not valid JSON: "));
    assertEquals("config: expected a JSON object but got ARRAY", error("[1]"));
  }

  @Test
  void blankJson_meansNoSettings() throws Exception {
    assertEquals(
        "config.name: required field missing",
        assertThrows(ConfigException.class, () -> bind(" ")).getMessage());
  }

  @Test
  void pluginWithoutConfig_bindsToNull() throws Exception {
    assertNull(binder.bind(new TestDescriptor(null, "[]"), "{\"__seq__\":1}"));
  }

  @Test
  void instanceInfo_comesFromTheInjectedKeys() throws Exception {
    InstanceInfo info =
        binder.instanceInfo(
            "{\"__plugin_id\":\"p\",\"route_id\":\"r\",\"service_id\":\"s\",\"consumer_id\":\"c\","
                + "\"plugin_instance_name\":\"i\",\"__ws_id\":\"w\",\"message\":\"m\"}");

    assertEquals(
        new InstanceInfo(
            Optional.of("p"), Optional.of("r"), Optional.of("s"), Optional.of("c"), Optional.of("i"),
            Optional.of("w")),
        info);
  }

  @Test
  void instanceInfo_ofKong28Config_hasOnlyTheScopeIds() throws Exception {
    // The shape Kong 2.8.5 sends (recorded trace hello-01-hello.jsonl): no plugin id, no workspace.
    InstanceInfo info =
        binder.instanceInfo(
            "{\"route_id\":\"00000000-0000-4000-8000-020000000001\",\"__key__\":\"plugins:hello:x\","
                + "\"greeting\":\"Hello\",\"__seq__\":1,\"mode\":\"hello\"}");

    assertEquals(Optional.of("00000000-0000-4000-8000-020000000001"), info.routeId());
    assertEquals(Optional.empty(), info.pluginId());
    assertEquals(Optional.empty(), info.workspaceId());
    assertEquals(InstanceInfo.none(), binder.instanceInfo(null));
  }
}
