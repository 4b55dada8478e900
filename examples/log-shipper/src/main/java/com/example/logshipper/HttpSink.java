package com.example.logshipper;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** POSTs each batch as one JSON array; any answer but 2xx is a failure. */
final class HttpSink implements Sink {

  private final URI uri;
  private final Duration timeout;
  private final HttpClient http;

  HttpSink(URI uri, Duration timeout) {
    this.uri = uri;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public void write(List<String> entries) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("[" + String.join(",", entries) + "]"))
        .build();
    HttpResponse<Void> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while sending to " + uri);
    }
    if (response.statusCode() / 100 != 2) {
      throw new IOException(uri + " answered " + response.statusCode());
    }
  }
}
