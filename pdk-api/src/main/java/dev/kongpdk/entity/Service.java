package dev.kongpdk.entity;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Kong service entity, as {@code kong.router.get_service()} returns it. (Not to be confused with
 * {@link dev.kongpdk.Service}, the {@code kong.service} PDK module.)
 *
 * @param id the service's UUID
 * @param name the service's name, if it has one
 * @param protocol the upstream protocol (Kong's default is {@code "http"})
 * @param host the upstream host or upstream name
 * @param port the upstream port (Kong's default is 80)
 * @param path the path prefix sent upstream, if set
 * @param retries how many times Kong retries a failed connection (Kong's default is 5)
 * @param connectTimeout connect timeout in milliseconds (Kong's default is 60000)
 * @param writeTimeout write timeout in milliseconds (Kong's default is 60000)
 * @param readTimeout read timeout in milliseconds (Kong's default is 60000)
 * @param enabled whether the service is enabled (Kong's default is true)
 * @param tags the service's tags
 * @param clientCertificateId the id of the client certificate used upstream, if set
 * @param tlsVerify whether the upstream certificate is verified, if set
 * @param tlsVerifyDepth the verification depth, if set
 * @param caCertificates ids of the CA certificates used to verify the upstream
 * @param workspaceId the workspace id ({@code ws_id})
 * @param createdAt creation time, seconds since the epoch
 * @param updatedAt last update time, seconds since the epoch
 * @param fields every field as Kong sent it
 */
public record Service(
    String id,
    Optional<String> name,
    String protocol,
    String host,
    long port,
    Optional<String> path,
    long retries,
    long connectTimeout,
    long writeTimeout,
    long readTimeout,
    boolean enabled,
    List<String> tags,
    Optional<String> clientCertificateId,
    Optional<Boolean> tlsVerify,
    OptionalLong tlsVerifyDepth,
    List<String> caCertificates,
    Optional<String> workspaceId,
    OptionalLong createdAt,
    OptionalLong updatedAt,
    Map<String, Object> fields) {

  /** Checks that nothing is null and makes the collections unmodifiable. */
  public Service {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(path, "path");
    tags = List.copyOf(tags);
    Objects.requireNonNull(clientCertificateId, "clientCertificateId");
    Objects.requireNonNull(tlsVerify, "tlsVerify");
    Objects.requireNonNull(tlsVerifyDepth, "tlsVerifyDepth");
    caCertificates = List.copyOf(caCertificates);
    Objects.requireNonNull(workspaceId, "workspaceId");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    fields = Map.copyOf(fields);
  }
}
