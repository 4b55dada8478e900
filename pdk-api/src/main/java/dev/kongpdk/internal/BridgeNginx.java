package dev.kongpdk.internal;

import dev.kongpdk.Bridge;
import dev.kongpdk.Nginx;
import dev.kongpdk.entity.NginxStatistics;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

final class BridgeNginx implements Nginx {

  private static final String GET_CTX = "kong.nginx.get_ctx";

  private final Bridge bridge;

  BridgeNginx(Bridge bridge) {
    this.bridge = bridge;
  }

  @Override
  public String getSubsystem() {
    String method = "kong.nginx.get_subsystem";
    return Values.requiredString(method, bridge.call(method));
  }

  @Override
  public NginxStatistics getStatistics() {
    String method = "kong.nginx.get_statistics";
    return Entities.nginxStatistics(method, bridge.call(method));
  }

  @Override
  public Optional<String> getVar(String name) {
    String method = "kong.nginx.get_var";
    return Values.optionalString(method, bridge.call(method, Values.requireNonNull("name", name)));
  }

  @Override
  public Optional<String> getTls1VersionStr() {
    String method = "kong.nginx.get_tls1_version_str";
    return Values.optionalString(method, bridge.call(method));
  }

  private Object ctx(String key) {
    return bridge.call(GET_CTX, Values.requireNonNull("key", key));
  }

  @Override
  public Optional<Object> getCtx(String key) {
    return Optional.ofNullable(Values.plain(ctx(key)));
  }

  @Override
  public Optional<String> getCtxString(String key) {
    return Values.optionalString(GET_CTX, ctx(key));
  }

  @Override
  public OptionalLong getCtxLong(String key) {
    return Values.optionalLong(GET_CTX, ctx(key));
  }

  @Override
  public OptionalDouble getCtxDouble(String key) {
    return Values.optionalDouble(GET_CTX, ctx(key));
  }

  @Override
  public void setCtx(String key, Object value) {
    Values.requireNonNull("key", key);
    if (value == null) {
      bridge.call("kong.nginx.set_ctx", key);
    } else {
      bridge.call("kong.nginx.set_ctx", key, Values.toLua("value", value));
    }
  }

  @Override
  public double reqStartTime() {
    String method = "kong.nginx.req_start_time";
    return Values.requiredDouble(method, bridge.call(method));
  }
}
