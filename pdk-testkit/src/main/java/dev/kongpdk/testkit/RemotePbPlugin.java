package dev.kongpdk.testkit;

import dev.kongpdk.plugin.Phase;
import dev.kongpdk.testkit.gateway.StepError;
import dev.kongpdk.testkit.gateway.pb.KongPbClient;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * A plugin served by a plugin server process over Kong's ProtoBuf protocol. As in Kong, each event
 * runs on one connection; a connection that ended with {@code kong.response.exit} or a Lua error
 * is dropped and the next event opens another, and a connection the server closes (an unknown
 * instance) makes Kong start the instance afresh and run the event again.
 */
final class RemotePbPlugin implements RunnablePlugin {

  private final Path socket;
  private final String name;
  private final int priority;
  private final Set<Phase> phases;
  private final String config;
  private KongPbClient client;
  private int instanceId;

  RemotePbPlugin(Path socket, String name, int priority, Set<Phase> phases, String config) {
    this.socket = socket;
    this.name = name;
    this.priority = priority;
    this.phases = phases;
    this.config = config;
    this.instanceId = start();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int priority() {
    return priority;
  }

  @Override
  public Set<Phase> phases() {
    return phases;
  }

  @Override
  public void run(Phase phase, FakeKong kong) {
    try {
      event(phase, kong);
    } catch (EOFException closed) {
      // Kong 3.x: "closed" resets the plugin's instances and runs the event again
      drop();
      instanceId = start();
      try {
        event(phase, kong);
      } catch (IOException e) {
        drop();
        throw new UncheckedIOException("plugin '" + name + "' over ProtoBuf: " + e.getMessage(), e);
      }
    } catch (IOException e) {
      drop();
      throw new UncheckedIOException("plugin '" + name + "' over ProtoBuf: " + e.getMessage(), e);
    }
  }

  private void event(Phase phase, FakeKong kong) throws IOException {
    KongPbClient connection = connection();
    try {
      connection.handleEvent(instanceId, phase.luaName(), (method, args) -> {
        Object answer = kong.call(method, args);
        return answer instanceof StepError ? null : answer; // ProtoBuf transmits no PDK errors
      });
    } finally {
      if (!connection.reusable()) {
        drop();
      }
    }
  }

  /** Closes the instance and the connection. */
  void close() {
    try {
      connection().closeInstance(instanceId);
    } catch (IOException | RuntimeException e) {
      // Kong ignores the CloseInstance reply too
    } finally {
      drop();
    }
  }

  private int start() {
    try {
      return connection().startInstance(name, config);
    } catch (IOException e) {
      drop();
      throw new UncheckedIOException("plugin '" + name + "': the server refused to start an instance"
          + " (it closed the connection; its log says why)", e);
    }
  }

  private KongPbClient connection() throws IOException {
    if (client == null) {
      client = KongPbClient.connect(socket);
    }
    return client;
  }

  private void drop() {
    if (client != null) {
      try {
        client.close();
      } catch (IOException e) {
        // already closed by the server
      }
      client = null;
    }
  }
}
