package dev.kongpdk.metrics.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves {@code GET /metrics} in the Prometheus text format with the JDK's own HTTP server, on one
 * daemon thread (a scrape every few seconds needs no more), as Micrometer's Prometheus docs show.
 */
public final class PrometheusEndpoint implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(PrometheusEndpoint.class.getName());
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService thread;

  private PrometheusEndpoint(HttpServer server, ExecutorService thread) {
    this.server = server;
    this.thread = thread;
  }

  /**
   * Starts serving {@code registry} on {@code address}.
   *
   * @throws UncheckedIOException when the address cannot be bound (a port in use), saying which
   */
  public static PrometheusEndpoint start(PrometheusMeterRegistry registry, HostPort address) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(address.host(), address.port()), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve Prometheus metrics on " + address + ": "
          + e.getMessage(), e);
    }
    ExecutorService thread = Executors.newSingleThreadExecutor(
        Thread.ofPlatform().daemon().name("kong-pdk-metrics-http").factory());
    server.setExecutor(thread);
    server.createContext("/", exchange -> answer(exchange, registry));
    server.start();
    PrometheusEndpoint endpoint = new PrometheusEndpoint(server, thread);
    LOG.log(Level.INFO, "serving Prometheus metrics on http://{0}/metrics", endpoint.address());
    return endpoint;
  }

  /** Returns the address served, with the port chosen when 0 was asked for. */
  public HostPort address() {
    InetSocketAddress bound = server.getAddress();
    return new HostPort(bound.getAddress().getHostAddress(), bound.getPort());
  }

  private static void answer(HttpExchange exchange, PrometheusMeterRegistry registry)
      throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!exchange.getRequestURI().getPath().equals("/metrics")) {
        send(exchange, 404, "not found: the metrics are at /metrics\n");
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "method not allowed\n");
      } else {
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(200, method.equals("HEAD") ? -1 : body.length);
        if (method.equals("GET")) {
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        }
      }
    }
  }

  private static void send(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Stops serving; a scrape in progress gets a second to finish. */
  @Override
  public void close() {
    server.stop(1);
    thread.shutdownNow();
  }
}
