package dev.kongpdk.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kongpdk.testkit.PluginTester;
import dev.kongpdk.testkit.TestRequest;
import dev.kongpdk.testkit.TestResult;
import dev.kongpdk.testkit.UpstreamResponse;
import org.junit.jupiter.api.Test;

class HelloTest {

  @Test
  void greetsTheCallerWithTheConfiguredMessage() {
    TestResult result = PluginTester.forPlugin(Hello.class)
        .config("{\"message\":\"hi\"}")
        .request(TestRequest.get("http://example.com/path?x=1").header("X-Request-Id", "42"))
        .upstream(UpstreamResponse.status(200).body("from upstream"))
        .run();

    assertEquals(200, result.response().status());
    assertEquals("Java says hi to example.com", result.response().header("X-Hello-From-Java").orElseThrow());
    assertEquals("from upstream", result.response().bodyText());
    assertEquals("/path", result.upstreamRequest().orElseThrow().path());
    assertEquals("42", result.upstreamRequest().orElseThrow().header("x-request-id").orElseThrow());
  }
}
