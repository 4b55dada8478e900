package dev.kongpdk.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** The probe's side of the report channel: one JSON line per report, one connection each. */
final class Reporter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final UnixDomainSocketAddress address;

  Reporter(Path socket) {
    this.address = UnixDomainSocketAddress.of(socket);
  }

  void send(Map<String, Object> report) {
    try (SocketChannel channel = SocketChannel.open(address)) {
      ByteBuffer line = ByteBuffer.wrap((JSON.writeValueAsString(report) + "\n").getBytes(StandardCharsets.UTF_8));
      while (line.hasRemaining()) {
        channel.write(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot report to " + address, e);
    }
  }
}
