package dev.kongpdk.entity;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A Kong route, as {@code kong.router.get_route()} returns it.
 *
 * @param id the route's UUID
 * @param name the route's name, if it has one
 * @param protocols the protocols it matches, for example {@code ["http", "https"]}
 * @param methods the HTTP methods it matches
 * @param hosts the hosts it matches
 * @param paths the paths it matches
 * @param headers the headers it matches, by name (lookups ignore case)
 * @param httpsRedirectStatusCode the status Kong answers plain-HTTP requests with when the route
 *     accepts only HTTPS (Kong's default is 426)
 * @param regexPriority the priority among regex paths (Kong's default is 0)
 * @param stripPath whether the matched path prefix is stripped upstream (Kong's default is true)
 * @param preserveHost whether the client's Host header is sent upstream (Kong's default is false)
 * @param pathHandling {@code "v0"} or {@code "v1"}, if set
 * @param requestBuffering whether the request body is buffered (Kong's default is true)
 * @param responseBuffering whether the response body is buffered (Kong's default is true)
 * @param snis the SNIs it matches
 * @param tags the route's tags
 * @param serviceId the id of the service the route points to, if any
 * @param workspaceId the workspace id ({@code ws_id})
 * @param createdAt creation time, seconds since the epoch
 * @param updatedAt last update time, seconds since the epoch
 * @param fields every field as Kong sent it
 */
public record Route(
    String id,
    Optional<String> name,
    List<String> protocols,
    List<String> methods,
    List<String> hosts,
    List<String> paths,
    Map<String, List<String>> headers,
    OptionalLong httpsRedirectStatusCode,
    long regexPriority,
    boolean stripPath,
    boolean preserveHost,
    Optional<String> pathHandling,
    boolean requestBuffering,
    boolean responseBuffering,
    List<String> snis,
    List<String> tags,
    Optional<String> serviceId,
    Optional<String> workspaceId,
    OptionalLong createdAt,
    OptionalLong updatedAt,
    Map<String, Object> fields) {

  /** Checks that nothing is null and makes the collections unmodifiable. */
  public Route {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    protocols = List.copyOf(protocols);
    methods = List.copyOf(methods);
    hosts = List.copyOf(hosts);
    paths = List.copyOf(paths);
    Map<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((header, values) -> byName.put(header, List.copyOf(values)));
    headers = Collections.unmodifiableMap(byName);
    Objects.requireNonNull(httpsRedirectStatusCode, "httpsRedirectStatusCode");
    Objects.requireNonNull(pathHandling, "pathHandling");
    snis = List.copyOf(snis);
    tags = List.copyOf(tags);
    Objects.requireNonNull(serviceId, "serviceId");
    Objects.requireNonNull(workspaceId, "workspaceId");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    fields = Map.copyOf(fields);
  }
}
