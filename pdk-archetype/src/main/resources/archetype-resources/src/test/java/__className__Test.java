package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.testkit.PluginTester;
import dev.kongpdk.testkit.TestRequest;
import dev.kongpdk.testkit.TestResult;
import dev.kongpdk.testkit.UpstreamResponse;
import org.junit.jupiter.api.Test;

/** The plugin in process, in a simulated Kong: request in, response and upstream request out. */
class ${className}Test {

  @Test
  void greetsTheCallerWithTheConfiguredMessage() {
    TestResult result = PluginTester.forPlugin(${className}.class)
        .config("{\"message\":\"hi\"}")
        .request(TestRequest.get("http://example.com/path?x=1"))
        .upstream(UpstreamResponse.status(200).body("from upstream"))
        .run();

    assertEquals(200, result.response().status());
    assertEquals("Java says hi to example.com", result.response().header("x-hello-from-java").orElseThrow());
    assertEquals("from upstream", result.response().bodyText());
    assertEquals("/path", result.upstreamRequest().orElseThrow().path());
  }

  @Test
  void leavesTheUpstreamRequestAlone() {
    TestResult result = PluginTester.forPlugin(${className}.class)
        .request(TestRequest.post("http://example.com/items").header("X-Trace", "1").body("payload"))
        .run();

    assertEquals("payload", result.upstreamRequest().orElseThrow().bodyText());
    assertFalse(result.upstreamRequest().orElseThrow().headers().contains("x-hello-from-java"));
  }

  @Test
  void theSchemaDefaultAppliesWhenNoMessageIsConfigured() {
    ${className}.Config config = (${className}.Config) PluginTester.forPlugin(${className}.class).validateConfig();

    assertEquals("hello", config.message());
    assertTrue(PluginTester.forPlugin(${className}.class).schemaJson().contains("\"default\":\"hello\""));
  }

  @Test
  void aConfigKongWouldRejectIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PluginTester.forPlugin(${className}.class).config("{\"message\":[1,2]}").validateConfig());

    assertTrue(e.getMessage().contains("message"), e.getMessage());
  }
}
