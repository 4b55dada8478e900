package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.kongpdk.testkit.PluginTester;
import dev.kongpdk.testkit.TestRequest;
import dev.kongpdk.testkit.TestResult;
import dev.kongpdk.testkit.UpstreamResponse;
import dev.kongpdk.testkit.gateway.ServerProcess;
import dev.kongpdk.testkit.junit.PluginServerExtension;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The packaged launcher (target/${pluginName}), started as Kong starts it, driven over its Unix
 * socket with Kong's protocol. Runs at integration-test, after package built the launcher.
 */
@ExtendWith(PluginServerExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ${className}SocketIT {

  @Test
  void greetsTheCallerOverTheSocket(ServerProcess server) {
    TestResult result = PluginTester.forPlugin(${className}.class)
        .config("{\"message\":\"hi\"}")
        .request(TestRequest.get("http://example.com/path?x=1"))
        .upstream(UpstreamResponse.status(200).body("from upstream"))
        .runOverSocket(server);

    assertEquals(200, result.response().status());
    assertEquals("Java says hi to example.com", result.response().header("x-hello-from-java").orElseThrow());
    assertEquals("from upstream", result.response().bodyText());
    assertEquals("/path", result.upstreamRequest().orElseThrow().path());
  }

  @Test
  void theLauncherDumpsWhatKongsQueryCommandReads() throws Exception {
    String launcher = System.getProperty(PluginServerExtension.COMMAND_PROPERTY);
    assertNotNull(launcher, "run by failsafe (mvn verify), which passes the launcher's path");
    Process process = new ProcessBuilder(launcher, "-dump").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue());

    JsonNode plugin = new ObjectMapper().readTree(out).get("Plugins").get(0);
    assertEquals("${pluginName}", plugin.get("Name").asText());
    assertEquals("[\"access\"]", plugin.get("Phases").toString());
  }
}
