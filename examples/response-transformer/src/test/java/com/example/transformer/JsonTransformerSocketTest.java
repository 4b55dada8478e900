package com.example.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kongpdk.testkit.PluginTester;
import dev.kongpdk.testkit.TestRequest;
import dev.kongpdk.testkit.TestResult;
import dev.kongpdk.testkit.UpstreamResponse;
import dev.kongpdk.testkit.gateway.ServerProcess;
import dev.kongpdk.testkit.junit.PluginServerExtension;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The plugin in its plugin server process, over the Unix socket, as Kong runs it. */
@ExtendWith(PluginServerExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JsonTransformerSocketTest {

  @Test
  void rewritesTheBodyOverTheSocket(ServerProcess server) throws IOException {
    TestResult result = PluginTester.forPlugin(JsonTransformer.class).config(JsonTransformerTest.CONFIG)
        .request(TestRequest.get("http://api.example.com/accounts/1"))
        .upstream(UpstreamResponse.status(200).json("{\"internal_id\":7,\"acct\":\"a-1\"}"))
        .runOverSocket(server);

    ObjectMapper json = new ObjectMapper();
    assertEquals(json.readTree("{\"account\":\"a-1\",\"api_version\":\"v2\"}"), json.readTree(result.response().body()));
    assertEquals("json-transformer", result.response().header("x-transformed").orElseThrow());
  }
}
