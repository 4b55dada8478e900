package com.example.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kongpdk.testkit.PluginTester;
import dev.kongpdk.testkit.TestRequest;
import dev.kongpdk.testkit.TestResult;
import dev.kongpdk.testkit.UpstreamResponse;
import dev.kongpdk.testkit.gateway.KongClient;
import dev.kongpdk.testkit.gateway.ServerProcess;
import dev.kongpdk.testkit.junit.PluginServerExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The plugin in its plugin server process, over the Unix socket, as Kong runs it. */
@ExtendWith(PluginServerExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JsonTransformerSocketIT {

  @Test
  void rewritesTheBodyOverTheSocket(ServerProcess server) throws IOException {
    TestResult result = runOverSocket(PluginTester.forPlugin(JsonTransformer.class).config(JsonTransformerTest.CONFIG)
        .request(TestRequest.get("http://api.example.com/accounts/1"))
        .upstream(UpstreamResponse.status(200).json("{\"internal_id\":7,\"acct\":\"a-1\"}")), server);

    ObjectMapper json = new ObjectMapper();
    assertEquals(json.readTree("{\"account\":\"a-1\",\"api_version\":\"v2\"}"), json.readTree(result.response().body()));
    assertEquals("json-transformer", result.response().header("x-transformed").orElseThrow());
  }

  /**
   * Runs the tester against the server with Kong's patience: Kong waits up to 60 s for a plugin
   * server's answer, the testkit's default is 5 s; 30 s keeps a busy machine from failing the test.
   */
  private static TestResult runOverSocket(PluginTester tester, ServerProcess server) {
    try (KongClient kong = KongClient.connect(server.socket(), KongClient.Options.defaults().withTimeout(Duration.ofSeconds(30)))) {
      return tester.runOver(kong);
    }
  }
}
