package com.example.authrouter;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP auth service on 127.0.0.1 for the tests: answers {@code GET /check} by the bearer
 * token it receives, and records the Authorization headers it was sent.
 */
final class AuthService implements AutoCloseable {

  private record Answer(int status, String body) {}

  /** Token for which the service never answers (until it is closed). */
  static final String HANGS = "hangs";

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<String> received = new CopyOnWriteArrayList<>();

  private AuthService(HttpServer server) {
    this.server = server;
  }

  static AuthService start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AuthService service = new AuthService(server);
    server.createContext("/check", exchange -> {
      String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
      service.received.add(authorization);
      if (authorization.equals("Bearer " + HANGS)) {
        awaitQuietly(service.closing);
      }
      Answer answer = service.answers.getOrDefault(authorization.replaceFirst("^Bearer ", ""), new Answer(401, ""));
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.setExecutor(service.threads);
    server.start();
    return service;
  }

  /** Makes the service answer 200 with this account for the token. */
  AuthService account(String token, String accountJson) {
    answers.put(token, new Answer(200, accountJson));
    return this;
  }

  /** Makes the service answer this status with this body for the token. */
  AuthService answer(String token, int status, String body) {
    answers.put(token, new Answer(status, body));
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/check";
  }

  /** The Authorization headers received, in order. */
  List<String> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    threads.shutdownNow();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
