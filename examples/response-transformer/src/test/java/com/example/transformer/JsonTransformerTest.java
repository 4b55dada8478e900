package com.example.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kongpdk.testkit.PluginTester;
import dev.kongpdk.testkit.TestRequest;
import dev.kongpdk.testkit.TestResult;
import dev.kongpdk.testkit.UpstreamResponse;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class JsonTransformerTest {

  static final String CONFIG = """
      {"remove": ["internal_id"],
       "rename": {"acct": "account"},
       "add": {"api_version": "v2"},
       "set_headers": {"X-Transformed": "json-transformer"}}""";

  private static final ObjectMapper JSON = new ObjectMapper();

  private static PluginTester tester(UpstreamResponse upstream) {
    return PluginTester.forPlugin(JsonTransformer.class).config(CONFIG)
        .request(TestRequest.get("http://api.example.com/accounts/1"))
        .upstream(upstream);
  }

  @Test
  void removesRenamesAndAddsTopLevelFieldsAndKeepsTheStatus() throws IOException {
    TestResult result = tester(UpstreamResponse.status(201)
        .json("{\"internal_id\":7,\"acct\":{\"id\":\"a-1\"},\"name\":\"Alice\"}")).run();

    assertEquals(201, result.response().status());
    assertEquals(JSON.readTree("{\"account\":{\"id\":\"a-1\"},\"name\":\"Alice\",\"api_version\":\"v2\"}"),
        JSON.readTree(result.response().body()));
    assertEquals("json-transformer", result.response().header("x-transformed").orElseThrow());
    assertEquals("application/json", result.response().header("content-type").orElseThrow());
  }

  @Test
  void replacesAFieldThatIsAddedAgain() throws IOException {
    TestResult result = tester(UpstreamResponse.status(200).json("{\"api_version\":\"v1\"}")).run();

    assertEquals(JSON.readTree("{\"api_version\":\"v2\"}"), JSON.readTree(result.response().body()));
  }

  @Test
  void leavesABodyThatIsNotJsonAloneButStillSetsHeaders() {
    TestResult result = tester(UpstreamResponse.status(200).header("Content-Type", "text/plain").body("acct=1")).run();

    assertEquals("acct=1", result.response().bodyText());
    assertEquals("service", result.response().source());
    assertEquals("json-transformer", result.response().header("x-transformed").orElseThrow());
  }

  @Test
  void leavesInvalidJsonAloneAndWarns() {
    TestResult result = tester(UpstreamResponse.status(200).header("Content-Type", "application/json").body("{oops")).run();

    assertEquals("{oops", result.response().bodyText());
    assertEquals(1, result.logs("warn").size(), result.logs().toString());
  }

  @Test
  void leavesAJsonArrayAlone() {
    TestResult result = tester(UpstreamResponse.status(200).json("[{\"acct\":1}]")).run();

    assertEquals("[{\"acct\":1}]", result.response().bodyText());
  }
}
