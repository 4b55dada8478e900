package dev.kongpdk.bridge;

import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.PluginDescriptor;
import dev.kongpdk.plugin.Protocol;
import java.util.List;
import java.util.Optional;

/** A test plugin's descriptor switched to the ProtoBuf protocol, as {@code @KongPlugin(protocol = PROTOBUF)} does. */
record ProtobufDescriptor(PluginDescriptor delegate) implements PluginDescriptor {

  @Override public Protocol protocol() { return Protocol.PROTOBUF; }
  @Override public String name() { return delegate.name(); }
  @Override public String version() { return delegate.version(); }
  @Override public int priority() { return delegate.priority(); }
  @Override public List<Phase> phases() { return delegate.phases(); }
  @Override public boolean failOpen() { return delegate.failOpen(); }
  @Override public Class<?> pluginClass() { return delegate.pluginClass(); }
  @Override public Optional<Class<? extends Record>> configType() { return delegate.configType(); }
  @Override public String schemaJson() { return delegate.schemaJson(); }
  @Override public Object newPlugin(Record config) { return delegate.newPlugin(config); }
}
