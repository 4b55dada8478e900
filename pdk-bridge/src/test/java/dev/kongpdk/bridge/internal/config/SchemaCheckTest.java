package dev.kongpdk.bridge.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kongpdk.bridge.ConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each validator, on the value it guards; messages are Kong's. */
class SchemaCheckTest {

  record Text(String value) {}

  record Number(Double value) {}

  record Texts(List<String> value) {}

  record Numbers(Map<String, Long> value) {}

  private final ConfigBinder binder = new ConfigBinder();

  private static String fields(String attributes) {
    return "[{\"value\":{" + attributes + "}}]";
  }

  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        // attributes | config value | expected error, empty when valid
        "\"one_of\":[\"GET\",\"POST\"]            | \"GET\"     | ",
        "\"one_of\":[\"GET\",\"POST\"]            | \"PUT\"     | config.value: expected one of: GET, POST",
        "\"len_eq\":2                             | \"ab\"      | ",
        "\"len_eq\":2                             | \"abc\"     | config.value: length must be 2",
        "\"len_min\":2                            | \"a\"       | config.value: length must be at least 2",
        "\"len_max\":2                            | \"abc\"     | config.value: length must be at most 2",
        "\"len_max\":2                            | \"é\"       | ",
        "\"len_max\":2                            | \"éa\"      | config.value: length must be at most 2",
        "\"len_min\":0                            | \"\"        | ",
        "\"len_max\":3                            | \"\"        | config.value: length must be at least 1",
        "\"one_of\":[\"a\"]                       | \"\"        | config.value: expected one of: a",
        "\"starts_with\":\"/api\"                 | \"/api/x\"  | ",
        "\"starts_with\":\"/api\"                 | \"/x\"      | config.value: should start with: /api",
        "\"match\":\"^%d+$\"                      | \"123\"     | ",
        "\"match\":\"^%d+$\"                      | \"12a\"     | config.value: invalid value: must match ^%d+$",
        "\"not_match\":\"%s\"                     | \"a b\"     | config.value: invalid value: must not match %s",
        "\"not_match\":\"%s\"                     | \"ab\"      | ",
        "\"match_any\":{\"patterns\":[\"^%a+$\",\"^%d+$\"],\"err\":\"letters or digits\"} | \"a1\" | config.value: letters or digits",
        "\"match_any\":{\"patterns\":[\"^%a+$\",\"^%d+$\"],\"err\":\"letters or digits\"} | \"12\" | ",
        "\"match_any\":{\"patterns\":[\"^%a+$\"]} | \"1\"       | config.value: invalid value: must match one of the patterns",
        "\"is_regex\":true                        | \"^a+(bc)?$\" | ",
        "\"is_regex\":true                        | \"a(\"      | config.value: not a valid regex",
        "\"uuid\":true                            | \"0A1B2C3D-0000-4000-8000-000000000001\" | ",
        "\"uuid\":true                            | \"0a1b2c3d-0000-4000-8000-00000000001\"  | config.value: expected a valid UUID",
        "\"referenceable\":true,\"uuid\":true     | \"{vault://env/id}\" | ",
        "\"uuid\":true                            | \"{vault://env/id}\" | config.value: expected a valid UUID",
        "\"match\":\"%b()\"                       | \"(x)\"     | config.value: cannot be checked: malformed Lua pattern '%b()': balanced matches (%b) cannot be checked outside Lua",
      })
  void stringValidators(String attributes, String value, String expected) {
    check(Text.class, "\"type\":\"string\"," + attributes, value, expected);
  }

  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "\"between\":[1,10]     | 10   | ",
        "\"between\":[1,10]     | 10.5 | config.value: value should be between 1 and 10",
        "\"between\":[-1.5,2.5] | -1.5 | ",
        "\"between\":[-1.5,2.5] | -2   | config.value: value should be between -1.5 and 2.5",
        "\"gt\":0.5             | 0.6  | ",
        "\"gt\":0.5             | 0.5  | config.value: value must be greater than 0.5",
        "\"one_of\":[1,2.5]     | 2.50 | ",
        "\"one_of\":[1,2.5]     | 2    | config.value: expected one of: 1, 2.5",
      })
  void numberValidators(String attributes, String value, String expected) {
    check(Number.class, "\"type\":\"number\"," + attributes, value, expected);
  }

  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "\"len_max\":2,\"elements\":{\"type\":\"string\",\"uuid\":true} | [] | ",
        "\"len_max\":1,\"elements\":{\"type\":\"string\"}                | [\"a\",\"b\"] | config.value: length must be at most 1",
        "\"elements\":{\"type\":\"string\",\"starts_with\":\"x\"}        | [\"xa\",\"b\"] | config.value[1]: should start with: x",
      })
  void arrayValidators(String attributes, String value, String expected) {
    check(Texts.class, "\"type\":\"array\"," + attributes, value, expected);
  }

  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "\"len_eq\":1,\"keys\":{\"type\":\"string\"},\"values\":{\"type\":\"integer\",\"gt\":0} | {\"a\":1} | ",
        "\"len_eq\":1,\"keys\":{\"type\":\"string\"},\"values\":{\"type\":\"integer\",\"gt\":0} | {\"a\":0} | config.value.a: value must be greater than 0",
        "\"len_eq\":1,\"keys\":{\"type\":\"string\"},\"values\":{\"type\":\"integer\"} | {\"a\":1,\"b\":2} | config.value: length must be 1",
      })
  void mapValidators(String attributes, String value, String expected) {
    check(Numbers.class, "\"type\":\"map\"," + attributes, value, expected);
  }

  private void check(Class<? extends Record> type, String attributes, String value, String expected) {
    TestDescriptor plugin = new TestDescriptor(type, fields(attributes));
    String config = "{\"value\":" + value + "}";
    if (expected == null) {
      try {
        binder.bind(plugin, config);
      } catch (ConfigException e) {
        throw new AssertionError("expected " + config + " to be valid, got: " + e.getMessage(), e);
      }
    } else {
      assertEquals(
          expected, assertThrows(ConfigException.class, () -> binder.bind(plugin, config)).getMessage());
    }
  }
}
