import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Java event-loop floor: a plugin server that does no plugin work, serving every connection
 * from one thread and one selector. It answers Kong's MessagePack-RPC for the hello workload with
 * canned bytes, as {@code floor.c} does on a thread per connection, so that the two show what each
 * design costs before any decoding, dispatching or plugin code. Like {@code floor.c}, it relies on
 * each request arriving in one read (Kong writes each message at once).
 *
 * <p>Usage: {@code LoopFloor -kong-prefix DIR} (listens on {@code DIR/hello.socket}, as the kit's
 * servers do) or {@code LoopFloor SOCKET_PATH}.
 */
public final class LoopFloor {

  // {"Id":0,"Name":"hello"}
  private static final byte[] START = bytes(0x82, 0xa2, "Id", 0x00, 0xa4, "Name", 0xa5, "hello");
  // {"Data":{"Method":"kong.request.get_header","Args":["host"]},"EventId":1}
  private static final byte[] GET_HEADER = bytes(0x82, 0xa4, "Data", 0x82, 0xa6, "Method", 0xb7,
      "kong.request.get_header", 0xa4, "Args", 0x91, 0xa4, "host", 0xa7, "EventId", 0x01);
  // {"Data":{"Method":"kong.response.set_header",
  //   "Args":["x-hello-from-java","Java says hello to bench.example"]},"EventId":1}
  private static final byte[] SET_HEADER = bytes(0x82, 0xa4, "Data", 0x82, 0xa6, "Method", 0xb8,
      "kong.response.set_header", 0xa4, "Args", 0x92, 0xb1, "x-hello-from-java", 0xd9, 0x20,
      "Java says hello to bench.example", 0xa7, "EventId", 0x01);
  // {"Data":"ret","EventId":1}
  private static final byte[] RET = bytes(0x82, 0xa4, "Data", 0xa3, "ret", 0xa7, "EventId", 0x01);

  private static final byte[] START_INSTANCE = ascii("plugin.StartInstance");
  private static final byte[] HANDLE_EVENT = ascii("plugin.HandleEvent");
  private static final byte[] DATA = ascii("Data");

  private final ByteBuffer in = ByteBuffer.allocateDirect(65536);
  private final ByteBuffer out = ByteBuffer.allocateDirect(256);
  private final byte[] request = new byte[65536];

  public static void main(String[] args) throws IOException {
    Path socket = args.length == 2 && args[0].equals("-kong-prefix")
        ? Path.of(args[1], "hello.socket")
        : args.length == 1 ? Path.of(args[0]) : null;
    if (socket == null) {
      System.err.println("usage: LoopFloor -kong-prefix DIR | LoopFloor SOCKET_PATH");
      System.exit(2);
    }
    Files.deleteIfExists(socket);
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = Selector.open()) {
      server.bind(UnixDomainSocketAddress.of(socket), 1024);
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
      new LoopFloor().run(server, selector);
    }
  }

  private void run(ServerSocketChannel server, Selector selector) throws IOException {
    while (true) {
      selector.select(key -> {
        if (key.isAcceptable()) {
          accept(server, selector);
        } else {
          serve(key);
        }
      });
    }
  }

  private static void accept(ServerSocketChannel server, Selector selector) {
    try {
      SocketChannel channel = server.accept();
      if (channel != null) {
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ);
      }
    } catch (IOException e) {
      // out of descriptors, or the peer went away: Kong retries on another connection
    }
  }

  /** Reads one request from a ready connection and writes its canned answer. */
  private void serve(SelectionKey key) {
    SocketChannel channel = (SocketChannel) key.channel();
    try {
      in.clear();
      int n = channel.read(in);
      if (n == 0) {
        return;
      }
      if (n < 0 || !answer(n)) {
        channel.close();
        return;
      }
      while (out.hasRemaining()) {
        channel.write(out);
      }
    } catch (IOException e) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing is all that is left to do
      }
    }
  }

  /** Puts the answer to the {@code n} bytes read into {@link #out}; false when they are no request. */
  private boolean answer(int n) {
    in.flip();
    in.get(request, 0, n);
    // [0, msgid, method, params]: 0x94 0x00 msgid method
    if (n < 4 || (request[0] & 0xff) != 0x94 || request[1] != 0) {
      return false;
    }
    int at = 2;
    int lead = request[at] & 0xff;
    int msgidLength = lead < 0x80 ? 1 : lead == 0xcc ? 2 : lead == 0xcd ? 3 : lead == 0xce ? 5 : 0;
    if (msgidLength == 0 || at + msgidLength >= n) {
      return false;
    }
    int msgidAt = at;
    at += msgidLength;
    if ((request[at] & 0xe0) != 0xa0) {
      return false;
    }
    int methodLength = request[at] & 0x1f;
    int methodAt = at + 1;
    byte[] body;
    if (matches(methodAt, methodLength, START_INSTANCE)) {
      body = START;
    } else if (matches(methodAt, methodLength, HANDLE_EVENT)) {
      body = GET_HEADER;
    } else if (contains(methodAt + methodLength, n, DATA)) {
      body = SET_HEADER;
    } else {
      body = RET;
    }
    // [1, msgid, nil, body], the msgid as Kong encoded it
    out.clear();
    out.put((byte) 0x94).put((byte) 0x01).put(request, msgidAt, msgidLength).put((byte) 0xc0);
    out.put(body).flip();
    return true;
  }

  private boolean matches(int at, int length, byte[] name) {
    if (length != name.length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (request[at + i] != name[i]) {
        return false;
      }
    }
    return true;
  }

  private boolean contains(int from, int to, byte[] part) {
    for (int at = from; at + part.length <= to; at++) {
      if (matches(at, part.length, part)) {
        return true;
      }
    }
    return false;
  }

  /** Bytes from a mix of byte values and ASCII strings. */
  private static byte[] bytes(Object... parts) {
    ByteBuffer buffer = ByteBuffer.allocate(256);
    for (Object part : parts) {
      if (part instanceof Integer b) {
        buffer.put((byte) (int) b);
      } else {
        buffer.put(ascii((String) part));
      }
    }
    byte[] result = new byte[buffer.position()];
    buffer.flip().get(result);
    return result;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
