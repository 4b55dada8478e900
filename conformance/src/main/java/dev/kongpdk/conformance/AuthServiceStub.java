package dev.kongpdk.conformance;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The auth service the auth-router example asks, for its contract check through Kong
 * (conformance/examples.sh): {@code Bearer gold} is account {@code a-1} at version 3, {@code
 * Bearer basic} account {@code a-2} at version 1, {@code Bearer banned} is refused with 403, any
 * other token 401. Runs until killed.
 *
 * <pre>
 *   AuthServiceStub PORT
 * </pre>
 */
public final class AuthServiceStub {

  private AuthServiceStub() {}

  public static void main(String[] args) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
        Integer.parseInt(args[0])), 16);
    server.createContext("/", exchange -> {
      String auth = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
      int status;
      String body;
      switch (auth) {
        case "Bearer gold" -> {
          status = 200;
          body = "{\"account_id\":\"a-1\",\"version\":3,\"plan\":\"gold\",\"features\":[]}";
        }
        case "Bearer basic" -> {
          status = 200;
          body = "{\"account_id\":\"a-2\",\"version\":1,\"plan\":\"basic\",\"features\":[]}";
        }
        case "Bearer banned" -> {
          status = 403;
          body = "{\"message\":\"banned\"}";
        }
        default -> {
          status = 401;
          body = "{\"message\":\"unknown token\"}";
        }
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
  }
}
