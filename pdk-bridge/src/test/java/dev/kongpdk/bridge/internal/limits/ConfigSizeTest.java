package dev.kongpdk.bridge.internal.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfigSizeTest {

  @Test
  void aConfigOfStringsCostsAboutTwiceItsText() {
    String config = "{\"message\":\"" + "x".repeat(100_000) + "\"}";
    long size = ConfigSize.of(config);
    assertTrue(size >= 2 * 100_000 && size < 3 * 100_000, "estimated " + size);
  }

  @Test
  void emptyArraysCostAWholeNodeEach() {
    String config = "{\"a\":[" + "[],".repeat(10_000) + "[]]}";
    assertTrue(ConfigSize.of(config) >= 10_001 * ConfigSize.PER_CONTAINER);
  }

  @Test
  void textThatIsNotJsonIsCountedUpToWhereParsingStops() {
    String broken = "{\"a\":[" + "[],".repeat(1000) + "}"; // the object ends inside the array
    long counted = ConfigSize.of(broken);
    assertTrue(counted >= 1000 * ConfigSize.PER_CONTAINER, "estimated " + counted);
    assertEquals(0, ConfigSize.of(null));
  }
}
