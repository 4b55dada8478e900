import dev.kongpdk.testkit.gateway.KongClient;
import java.nio.file.Path;

/**
 * Drives events of the hello example's plugin server the way Kong does: one instance, then N
 * access events whose PDK calls are answered as a request to example.com would be.
 *
 * <pre>java -cp PDK_TESTKIT_CLASSPATH HelloEvents.java SOCKET N</pre>
 */
public final class HelloEvents {
  public static void main(String[] args) {
    Path socket = Path.of(args[0]);
    int events = Integer.parseInt(args[1]);
    try (KongClient kong = KongClient.connect(socket, KongClient.Options.defaults())) {
      long id = kong.startInstance("hello", "{\"message\":\"hi\"}");
      for (int i = 0; i < events; i++) {
        kong.handleEvent(id, "access", (method, callArgs) -> switch (method) {
          case "kong.request.get_header" -> "example.com";
          default -> null;
        });
      }
    }
  }
}
