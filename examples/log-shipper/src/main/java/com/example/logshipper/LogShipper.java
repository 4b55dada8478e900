package com.example.logshipper;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.kongpdk.Kong;
import dev.kongpdk.plugin.KongPlugin;
import dev.kongpdk.plugin.LogPhase;
import dev.kongpdk.plugin.schema.Between;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ships every request's log entry ({@code kong.log.serialize()}) in batches to a file (JSON lines)
 * or an HTTP endpoint (JSON arrays), through a bounded queue and one sender thread, so that the log
 * phase never waits for the sink.
 */
@KongPlugin(name = "log-shipper", version = "0.1.0", priority = 12)
public final class LogShipper implements LogPhase, AutoCloseable {

  /** Where the entries go. */
  public enum SinkType { @JsonProperty("file") FILE, @JsonProperty("http") HTTP }

  // tag::config[]
  /** The plugin's config; Kong's schema for it is generated from this record. */
  public record Config(
      @JsonProperty(defaultValue = "file") SinkType sink,
      @JsonProperty(defaultValue = "/usr/local/kong/logs/log-shipper.jsonl")
          @JsonPropertyDescription("The file the entries are appended to, one JSON object a line.")
          String path,
      @JsonPropertyDescription("The URL batches are POSTed to as JSON arrays (sink http).")
          Optional<String> url,
      @JsonProperty(value = "batch_size", defaultValue = "100") @Between(min = 1, max = 10000) int batchSize,
      @JsonProperty(value = "flush_interval_ms", defaultValue = "1000") @Between(min = 1, max = 60000) int flushIntervalMs,
      @JsonProperty(value = "queue_size", defaultValue = "10000") @Between(min = 1, max = 1000000) int queueSize,
      @JsonProperty(value = "timeout_ms", defaultValue = "5000") @Between(min = 1, max = 60000) int timeoutMs) {}
  // end::config[]

  private final BatchSender sender;
  private final AtomicLong dropped = new AtomicLong();

  public LogShipper(Config config) {
    Sink sink = switch (config.sink()) {
      case FILE -> new FileSink(Path.of(config.path()));
      case HTTP -> new HttpSink(URI.create(config.url().orElseThrow(
          () -> new IllegalArgumentException("url is required when sink is http"))), Duration.ofMillis(config.timeoutMs()));
    };
    Duration timeout = Duration.ofMillis(config.timeoutMs());
    this.sender = new BatchSender(sink, config.batchSize(), Duration.ofMillis(config.flushIntervalMs()), config.queueSize(), timeout);
  }

  // tag::log[]
  @Override
  public void log(Kong kong) {
    if (!sender.offer(kong.log().serialize())) {
      long total = dropped.incrementAndGet();
      if (total == 1 || total % 1000 == 0) {
        kong.log().warn("queue full: ", total, " log entries dropped so far");
      }
    }
  }
  // end::log[]

  /** Entries dropped because the queue was full. */
  long dropped() {
    return dropped.get();
  }

  /**
   * Sends what is queued and stops the sender. The plugin server calls this when Kong closes the
   * instance (after every configuration change), when it drops an idle instance, and when it stops
   * (SIGTERM, or Kong's exit).
   */
  @Override
  public void close() {
    sender.close();
  }
}
