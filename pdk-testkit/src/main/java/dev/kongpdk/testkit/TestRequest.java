package dev.kongpdk.testkit;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The request a client sends to the simulated Kong: method, URL parts, headers, body, the client's
 * address and the route's URI captures. Immutable; build it with {@link #get(String)}, {@link
 * #post(String)} or {@link #builder(String, String)}.
 */
public final class TestRequest {

  private final String method;
  private final String scheme;
  private final String host;
  private final int port;
  private final String rawPath;
  private final String rawQuery;
  private final Headers headers;
  private final byte[] body;
  private final double httpVersion;
  private final String clientIp;
  private final int clientPort;
  private final List<String> unnamedCaptures;
  private final Map<String, String> namedCaptures;

  private TestRequest(Builder b) {
    this.method = b.method;
    this.scheme = b.scheme;
    this.host = b.host;
    this.port = b.port;
    this.rawPath = b.rawPath;
    this.rawQuery = b.rawQuery;
    Headers h = b.headers;
    if (!h.contains("host")) {
      boolean defaultPort = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
      h = Headers.empty().with("host", defaultPort ? host : host + ":" + port);
      for (Map.Entry<String, List<String>> e : b.headers.asMap().entrySet()) {
        h = h.replacing(e.getKey(), e.getValue());
      }
    }
    this.headers = h;
    this.body = b.body.clone();
    this.httpVersion = b.httpVersion;
    this.clientIp = b.clientIp;
    this.clientPort = b.clientPort;
    this.unnamedCaptures = List.copyOf(b.unnamedCaptures);
    this.namedCaptures = Map.copyOf(b.namedCaptures);
  }

  /**
   * Starts a GET request.
   *
   * @param url an absolute URL, for example {@code http://example.com/path?x=1}
   * @return a builder
   */
  public static Builder get(String url) {
    return builder("GET", url);
  }

  /**
   * Starts a POST request.
   *
   * @param url an absolute URL
   * @return a builder
   */
  public static Builder post(String url) {
    return builder("POST", url);
  }

  /**
   * Starts a request with any method.
   *
   * @param method the HTTP method, for example {@code PUT}
   * @param url an absolute {@code http} or {@code https} URL; the query is kept raw
   * @return a builder
   * @throws IllegalArgumentException when the URL is not absolute http(s)
   */
  public static Builder builder(String method, String url) {
    return new Builder(method, url);
  }

  /** Returns the method, upper-case, for example {@code GET}. */
  public String method() {
    return method;
  }

  /** Returns {@code http} or {@code https}. */
  public String scheme() {
    return scheme;
  }

  /** Returns the host from the URL, lower-case. */
  public String host() {
    return host;
  }

  /** Returns the port from the URL, or 80/443 by scheme. */
  public int port() {
    return port;
  }

  /** Returns the path as sent, not normalised. */
  public String rawPath() {
    return rawPath;
  }

  /** Returns the query as sent, without {@code ?}; empty when there is none. */
  public String rawQuery() {
    return rawQuery;
  }

  /** Returns the headers; {@code host} is added from the URL when not set. */
  public Headers headers() {
    return headers;
  }

  /** Returns a copy of the body bytes; empty when there is no body. */
  public byte[] body() {
    return body.clone();
  }

  /** Returns the HTTP version, for example 1.1. */
  public double httpVersion() {
    return httpVersion;
  }

  /** Returns the client's IP address. */
  public String clientIp() {
    return clientIp;
  }

  /** Returns the client's port. */
  public int clientPort() {
    return clientPort;
  }

  /** Returns the route's unnamed regex captures, the whole match first; empty without captures. */
  public List<String> unnamedCaptures() {
    return unnamedCaptures;
  }

  /** Returns the route's named regex captures. */
  public Map<String, String> namedCaptures() {
    return namedCaptures;
  }

  @Override
  public String toString() {
    return method + " " + scheme + "://" + host + ":" + port + rawPath + (rawQuery.isEmpty() ? "" : "?" + rawQuery);
  }

  /** Builds a {@link TestRequest}. */
  public static final class Builder {
    private final String method;
    private final String scheme;
    private final String host;
    private final int port;
    private final String rawPath;
    private final String rawQuery;
    private Headers headers = Headers.empty();
    private byte[] body = new byte[0];
    private double httpVersion = 1.1;
    private String clientIp = "127.0.0.1";
    private int clientPort = 40000;
    private final List<String> unnamedCaptures = new ArrayList<>();
    private final Map<String, String> namedCaptures = new LinkedHashMap<>();

    private Builder(String method, String url) {
      if (method == null || method.isBlank()) {
        throw new IllegalArgumentException("request method must not be empty");
      }
      this.method = method.toUpperCase(Locale.ROOT);
      URI uri;
      try {
        uri = URI.create(Objects.requireNonNull(url, "url"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not a valid request URL: '" + url + "': " + e.getMessage(), e);
      }
      String s = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!s.equals("http") && !s.equals("https") || uri.getHost() == null) {
        throw new IllegalArgumentException("request URL must be absolute http or https: '" + url + "'");
      }
      this.scheme = s;
      this.host = uri.getHost().toLowerCase(Locale.ROOT);
      this.port = uri.getPort() != -1 ? uri.getPort() : (s.equals("https") ? 443 : 80);
      this.rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      this.rawQuery = uri.getRawQuery() == null ? "" : uri.getRawQuery();
    }

    /**
     * Adds a header value; call again with the same name for a multi-valued header.
     *
     * @param name the name, any case
     * @param value the value
     * @return this builder
     */
    public Builder header(String name, String value) {
      headers = headers.with(name, value);
      return this;
    }

    /**
     * Sets the body to the UTF-8 bytes of {@code text}.
     *
     * @param text the body
     * @return this builder
     */
    public Builder body(String text) {
      return body(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sets the body bytes, which may be any binary content.
     *
     * @param bytes the body
     * @return this builder
     */
    public Builder body(byte[] bytes) {
      this.body = bytes.clone();
      return this;
    }

    /**
     * Sets a JSON body and the {@code Content-Type: application/json} header.
     *
     * @param json the JSON text
     * @return this builder
     */
    public Builder jsonBody(String json) {
      headers = headers.replacing("content-type", List.of("application/json"));
      return body(json);
    }

    /**
     * Sets the HTTP version the client used.
     *
     * @param version 1.0, 1.1 or 2.0
     * @return this builder
     */
    public Builder httpVersion(double version) {
      this.httpVersion = version;
      return this;
    }

    /**
     * Sets the client's address (default {@code 127.0.0.1:40000}).
     *
     * @param ip the IP address
     * @param port the port
     * @return this builder
     */
    public Builder client(String ip, int port) {
      this.clientIp = Objects.requireNonNull(ip, "ip");
      this.clientPort = port;
      return this;
    }

    /**
     * Sets the route's unnamed regex captures, the whole match first ({@code
     * kong.request.get_uri_captures().unnamed}).
     *
     * @param captures the captures
     * @return this builder
     */
    public Builder unnamedCaptures(String... captures) {
      unnamedCaptures.clear();
      unnamedCaptures.addAll(List.of(captures));
      return this;
    }

    /**
     * Adds a named regex capture of the route.
     *
     * @param name the group name
     * @param value the captured text
     * @return this builder
     */
    public Builder namedCapture(String name, String value) {
      namedCaptures.put(name, value);
      return this;
    }

    /** Returns the request. */
    public TestRequest build() {
      return new TestRequest(this);
    }
  }
}
