package dev.kongpdk.benchmarks.plugin.pb;

import dev.kongpdk.benchmarks.plugin.BenchHello;
import dev.kongpdk.benchmarks.plugin.BenchHelloDescriptor;
import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginDescriptor;
import dev.kongpdk.plugin.Protocol;
import java.util.List;
import java.util.Optional;

/**
 * The benchmark's hello plugin served over ProtoBuf: the same plugin class, name and schema as
 * {@link BenchHelloDescriptor}, with the protocol a {@code @KongPlugin(protocol =
 * Protocol.PROTOBUF)} annotation on {@link BenchHello} would give.
 */
public final class BenchHelloPbDescriptor implements PluginDescriptor {

  private final PluginDescriptor hello = new BenchHelloDescriptor();

  @Override
  public Protocol protocol() {
    return Protocol.PROTOBUF;
  }

  @Override
  public String name() {
    return hello.name();
  }

  @Override
  public String version() {
    return hello.version();
  }

  @Override
  public int priority() {
    return hello.priority();
  }

  @Override
  public List<Phase> phases() {
    return hello.phases();
  }

  @Override
  public boolean failOpen() {
    return hello.failOpen();
  }

  @Override
  public Class<?> pluginClass() {
    return hello.pluginClass();
  }

  @Override
  public Optional<Class<? extends Record>> configType() {
    return hello.configType();
  }

  @Override
  public String schemaJson() {
    return hello.schemaJson();
  }

  @Override
  public Object newPlugin(Record config) {
    return hello.newPlugin(config);
  }
}
