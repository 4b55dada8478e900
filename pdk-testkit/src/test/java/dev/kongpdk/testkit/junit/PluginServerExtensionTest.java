package dev.kongpdk.testkit.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kongpdk.testkit.Hello;
import dev.kongpdk.testkit.PluginTester;
import dev.kongpdk.testkit.TestRequest;
import dev.kongpdk.testkit.TestResult;
import dev.kongpdk.testkit.gateway.ServerProcess;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PluginServerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PluginServerExtensionTest {

  private static ServerProcess first;

  @Test
  @Order(1)
  void injectsARunningServerOfTheTestClassPath(ServerProcess server) {
    first = server;
    TestResult r = PluginTester.forPlugin(Hello.class)
        .config("{\"message\":\"ext\"}")
        .request(TestRequest.get("http://example.com/"))
        .runOverSocket(server);

    assertEquals("Java says ext to example.com", r.response().header("x-hello-from-java").orElseThrow());
  }

  @Test
  @Order(2)
  void sharesOneServerPerTestClass(ServerProcess server) {
    assertSame(first, server);
  }
}
