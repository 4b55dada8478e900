package com.example.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
        .request(TestRequest.get("http://example.com/path?x=1"))
        .upstream(UpstreamResponse.status(200).body("from upstream"))
        .run();

    assertEquals(200, result.response().status());
    assertEquals("Java says hi to example.com", result.response().header("x-hello-from-java").orElseThrow());
    assertEquals("from upstream", result.response().bodyText());
    assertEquals("/path", result.upstreamRequest().orElseThrow().path());
  }

  @Test
  void usesTheSchemaDefaultWhenNoMessageIsConfigured() {
    TestResult result = PluginTester.forPlugin(Hello.class)
        .request(TestRequest.get("http://api.internal:8080/"))
        .run();

    assertEquals("Java says hello to api.internal:8080", result.response().header("x-hello-from-java").orElseThrow());
  }

  @Test
  void leavesTheUpstreamRequestAlone() {
    TestResult result = PluginTester.forPlugin(Hello.class)
        .request(TestRequest.post("http://example.com/items").header("X-Trace", "1").body("payload"))
        .run();

    assertEquals("payload", result.upstreamRequest().orElseThrow().bodyText());
    assertEquals("1", result.upstreamRequest().orElseThrow().header("x-trace").orElseThrow());
    assertFalse(result.upstreamRequest().orElseThrow().headers().contains("x-hello-from-java"));
  }
}
