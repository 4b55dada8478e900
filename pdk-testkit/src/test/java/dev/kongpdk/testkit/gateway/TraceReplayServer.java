package dev.kongpdk.testkit.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ArrayValue;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * A stand-in plugin server for client tests: replays the server's replies of a recorded Kong trace
 * and checks that every request the client sends matches Kong's recorded request structurally
 * (msgpack values compared with msgpack-core, independent of the client's codec).
 *
 * <p>Requests may arrive on any connection; each gets the recorded replies on the connection it
 * came on. {@code msgidOffset} lets a trace that continues an earlier one be replayed by a fresh
 * client: recorded msgids are lowered by it in both directions.
 */
public final class TraceReplayServer implements AutoCloseable {

  /** One recorded message. */
  private record Message(boolean fromKong, byte[] raw) {}

  private final List<Message> messages = new ArrayList<>();
  private final long msgidOffset;
  private final ServerSocketChannel server;
  private final Path socket;
  private final List<String> mismatches = Collections.synchronizedList(new ArrayList<>());
  private final Set<Integer> connectionsUsed = ConcurrentHashMap.newKeySet();
  private final List<SocketChannel> clients = Collections.synchronizedList(new ArrayList<>());
  private int cursor;
  private int extraCloseInstances;
  private int requests;

  /**
   * Loads {@code trace} and listens on {@code socket}.
   *
   * @param trace a {@code *.jsonl} trace
   * @param socket where to listen
   * @param msgidOffset subtracted from every recorded msgid
   * @throws IOException when the trace cannot be read or the socket cannot be bound
   */
  public TraceReplayServer(Path trace, Path socket, long msgidOffset) throws IOException {
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(trace)) {
      JsonNode node = json.readTree(line);
      if (node.has("raw_b64")) {
        messages.add(new Message(node.get("dir").asText().equals("kong->server"),
            Base64.getDecoder().decode(node.get("raw_b64").asText())));
      }
    }
    this.msgidOffset = msgidOffset;
    this.socket = socket;
    this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Thread.ofPlatform().daemon().name("replay-accept").start(this::accept);
  }

  /** Returns the socket path. */
  public Path socket() {
    return socket;
  }

  /** Returns every difference between the client's requests and Kong's recorded ones. */
  public List<String> mismatches() {
    return List.copyOf(mismatches);
  }

  /** Returns how many recorded Kong requests were not sent by the client. */
  public synchronized int requestsLeft() {
    int left = 0;
    for (int i = cursor; i < messages.size(); i++) {
      if (messages.get(i).fromKong()) {
        left++;
      }
    }
    return left;
  }

  /** Returns how many requests the client sent. */
  public synchronized int requestsReceived() {
    return requests;
  }

  /** Returns how many CloseInstance requests came after the trace ended (answered with nil). */
  public synchronized int extraCloseInstances() {
    return extraCloseInstances;
  }

  private static boolean isCloseInstance(Value request) {
    return request.isArrayValue() && request.asArrayValue().size() == 4
        && request.asArrayValue().get(2).toString().equals("plugin.CloseInstance");
  }

  /** Returns how many distinct connections carried requests. */
  public int connectionsUsed() {
    return connectionsUsed.size();
  }

  private void accept() {
    int number = 0;
    while (server.isOpen()) {
      try {
        SocketChannel client = server.accept();
        clients.add(client);
        int connection = ++number;
        Thread.ofPlatform().daemon().name("replay-conn-" + connection).start(() -> serve(client, connection));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(SocketChannel client, int connection) {
    try (InputStream in = Channels.newInputStream(client);
        MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(in)) {
      while (unpacker.hasNext()) {
        Value request = unpacker.unpackValue();
        connectionsUsed.add(connection);
        for (byte[] reply : answer(request)) {
          ByteBuffer out = ByteBuffer.wrap(reply);
          while (out.hasRemaining()) {
            client.write(out);
          }
        }
      }
    } catch (IOException e) {
      // the client closed the connection
    }
  }

  private synchronized List<byte[]> answer(Value request) throws IOException {
    requests++;
    if (cursor >= messages.size() && isCloseInstance(request)) {
      extraCloseInstances++; // Kong ignores the reply; a client closes its instances after a run
      Value msgid = request.asArrayValue().get(1);
      return List.of(pack(ValueFactory.newArray(ValueFactory.newInteger(1), msgid, ValueFactory.newNil(), ValueFactory.newNil())));
    }
    if (cursor >= messages.size() || !messages.get(cursor).fromKong()) {
      mismatches.add("unexpected request " + request + ": the trace expects no more requests here");
      return List.of();
    }
    Value expected = shift(unpack(messages.get(cursor++).raw()), msgidOffset);
    if (!expected.equals(request)) {
      mismatches.add("request differs:\n  Kong sent   " + expected + "\n  client sent " + request);
    }
    List<byte[]> replies = new ArrayList<>();
    while (cursor < messages.size() && !messages.get(cursor).fromKong()) {
      byte[] raw = messages.get(cursor++).raw();
      replies.add(msgidOffset == 0 ? raw : pack(shift(unpack(raw), msgidOffset)));
    }
    return replies;
  }

  private static Value unpack(byte[] raw) throws IOException {
    try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(raw)) {
      return unpacker.unpackValue();
    }
  }

  private static byte[] pack(Value value) throws IOException {
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      packer.packValue(value);
      return packer.toByteArray();
    }
  }

  /** Lowers the msgid (element 1) of a request or response by {@code offset}. */
  private static Value shift(Value message, long offset) {
    if (offset == 0) {
      return message;
    }
    ArrayValue array = message.asArrayValue();
    List<Value> elements = new ArrayList<>(array.list());
    elements.set(1, ValueFactory.newInteger(elements.get(1).asIntegerValue().toLong() - offset));
    return ValueFactory.newArray(elements);
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (clients) {
      for (SocketChannel c : clients) {
        c.close();
      }
    }
    Files.deleteIfExists(socket);
  }

  /**
   * Writes a trace of alternating Kong requests and server replies (request first), each a plain
   * value packed with msgpack-core.
   *
   * @param file where to write it
   * @param messages request, reply, request, reply, ...
   * @return {@code file}
   * @throws IOException when it cannot be written
   */
  public static Path script(Path file, Object... messages) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < messages.length; i++) {
      try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
        packPlain(packer, messages[i]);
        lines.add("{\"dir\":\"" + (i % 2 == 0 ? "kong->server" : "server->kong") + "\",\"raw_b64\":\""
            + Base64.getEncoder().encodeToString(packer.toByteArray()) + "\"}");
      }
    }
    Files.write(file, lines);
    return file;
  }

  private static void packPlain(MessageBufferPacker packer, Object value) throws IOException {
    if (value == null) {
      packer.packNil();
    } else if (value instanceof Long l) {
      packer.packLong(l);
    } else if (value instanceof String s) {
      packer.packString(s);
    } else if (value instanceof List<?> list) {
      packer.packArrayHeader(list.size());
      for (Object element : list) {
        packPlain(packer, element);
      }
    } else if (value instanceof java.util.Map<?, ?> map) {
      packer.packMapHeader(map.size());
      for (java.util.Map.Entry<?, ?> e : map.entrySet()) {
        packPlain(packer, e.getKey());
        packPlain(packer, e.getValue());
      }
    } else {
      throw new IllegalArgumentException(value.getClass().getName());
    }
  }
}
