package com.example.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kongpdk.testkit.PluginTester;
import dev.kongpdk.testkit.TestRequest;
import dev.kongpdk.testkit.TestResult;
import dev.kongpdk.testkit.UpstreamResponse;
import dev.kongpdk.testkit.gateway.ServerProcess;
import dev.kongpdk.testkit.junit.PluginServerExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The same scenario against the plugin server process, over its Unix socket, as Kong runs it. */
@ExtendWith(PluginServerExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HelloSocketIT {

  @Test
  void greetsTheCallerOverTheSocket(ServerProcess server) {
    TestResult result = PluginTester.forPlugin(Hello.class)
        .config("{\"message\":\"hi\"}")
        .request(TestRequest.get("http://example.com/path?x=1"))
        .upstream(UpstreamResponse.status(200).body("from upstream"))
        .runOverSocket(server);

    assertEquals(200, result.response().status());
    assertEquals("Java says hi to example.com", result.response().header("x-hello-from-java").orElseThrow());
    assertEquals("from upstream", result.response().bodyText());
    assertEquals("/path", result.upstreamRequest().orElseThrow().path());
  }
}
