package dev.kongpdk.internal;

import dev.kongpdk.Bridge;
import dev.kongpdk.Client;
import dev.kongpdk.Cluster;
import dev.kongpdk.Ctx;
import dev.kongpdk.CurrentPlugin;
import dev.kongpdk.Ip;
import dev.kongpdk.Kong;
import dev.kongpdk.Log;
import dev.kongpdk.Nginx;
import dev.kongpdk.Node;
import dev.kongpdk.Request;
import dev.kongpdk.Response;
import dev.kongpdk.Router;
import dev.kongpdk.Service;
import dev.kongpdk.Telemetry;
import dev.kongpdk.Vault;
import java.util.Objects;
import java.util.Optional;

/** The typed PDK implemented once over a {@link Bridge}. */
public final class BridgeKong implements Kong {

  private final Bridge bridge;
  private final Client client;
  private final Cluster cluster;
  private final Ctx ctx;
  private final Ip ip;
  private final Log log;
  private final Nginx nginx;
  private final Node node;
  private final CurrentPlugin plugin;
  private final Request request;
  private final Response response;
  private final Router router;
  private final Service service;
  private final Telemetry telemetry;
  private final Vault vault;

  public BridgeKong(Bridge bridge) {
    this.bridge = Objects.requireNonNull(bridge, "bridge");
    this.client = new BridgeClient(bridge);
    this.cluster = () -> Values.optionalString("kong.cluster.get_id", bridge.call("kong.cluster.get_id"));
    SharedCtx shared = new SharedCtx(bridge);
    this.ctx = () -> shared;
    this.ip = address -> Values.requiredBoolean(
        "kong.ip.is_trusted", bridge.call("kong.ip.is_trusted", Values.requireNonNull("address", address)));
    this.log = new BridgeLog(bridge);
    this.nginx = new BridgeNginx(bridge);
    this.node = new BridgeNode(bridge);
    this.plugin = () -> Values.optionalString("kong.plugin.get_id", bridge.call("kong.plugin.get_id"));
    this.request = new BridgeRequest(bridge);
    this.response = new BridgeResponse(bridge);
    this.router = new BridgeRouter(bridge);
    this.service = new BridgeService(bridge);
    this.telemetry = new BridgeTelemetry(bridge);
    this.vault = new BridgeVault(bridge);
  }

  @Override
  public Client client() {
    return client;
  }

  @Override
  public Cluster cluster() {
    return cluster;
  }

  @Override
  public Ctx ctx() {
    return ctx;
  }

  @Override
  public Ip ip() {
    return ip;
  }

  @Override
  public Log log() {
    return log;
  }

  @Override
  public Nginx nginx() {
    return nginx;
  }

  @Override
  public Node node() {
    return node;
  }

  @Override
  public CurrentPlugin plugin() {
    return plugin;
  }

  @Override
  public Request request() {
    return request;
  }

  @Override
  public Response response() {
    return response;
  }

  @Override
  public Router router() {
    return router;
  }

  @Override
  public Service service() {
    return service;
  }

  @Override
  public Telemetry telemetry() {
    return telemetry;
  }

  @Override
  public Vault vault() {
    return vault;
  }

  @Override
  public Optional<Object> call(String method, Object... args) {
    Values.requireNonNull("method", method);
    Object[] sent = new Object[args == null ? 0 : args.length];
    for (int i = 0; i < sent.length; i++) {
      sent[i] = Values.toLua("argument " + (i + 1) + " of " + method, args[i]);
    }
    return Optional.ofNullable(bridge.call(method, sent));
  }
}
