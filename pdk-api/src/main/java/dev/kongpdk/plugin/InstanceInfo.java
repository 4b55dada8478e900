package dev.kongpdk.plugin;

import java.util.Objects;
import java.util.Optional;

/**
 * What Kong says about one configured plugin instance, beside its config: the keys Kong's plugins
 * iterator adds to the config it sends with {@code plugin.StartInstance}. Kong 2.8 sends only the
 * route, service and consumer ids; the plugin id, instance name and workspace come with Kong 3.x.
 *
 * @param pluginId the plugin entity's UUID ({@code __plugin_id})
 * @param routeId the route the plugin is scoped to ({@code route_id})
 * @param serviceId the service the plugin is scoped to ({@code service_id})
 * @param consumerId the consumer the plugin is scoped to ({@code consumer_id})
 * @param instanceName the plugin entity's {@code instance_name} ({@code plugin_instance_name})
 * @param workspaceId the workspace's UUID ({@code __ws_id})
 */
public record InstanceInfo(
    Optional<String> pluginId,
    Optional<String> routeId,
    Optional<String> serviceId,
    Optional<String> consumerId,
    Optional<String> instanceName,
    Optional<String> workspaceId) {

  private static final InstanceInfo NONE =
      new InstanceInfo(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  /** Checks that no component is {@code null}. */
  public InstanceInfo {
    Objects.requireNonNull(pluginId, "pluginId");
    Objects.requireNonNull(routeId, "routeId");
    Objects.requireNonNull(serviceId, "serviceId");
    Objects.requireNonNull(consumerId, "consumerId");
    Objects.requireNonNull(instanceName, "instanceName");
    Objects.requireNonNull(workspaceId, "workspaceId");
  }

  /** Returns the information of an instance Kong said nothing about (every component empty). */
  public static InstanceInfo none() {
    return NONE;
  }
}
