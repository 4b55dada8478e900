package dev.kongpdk.testkit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kong entities shaped as Kong sends them to a plugin server (recorded Kong 3.9.3 traces): maps
 * without null fields, timestamps in whole seconds. Change a field with {@code new
 * LinkedHashMap<>(Entities.service("svc", "api.internal", 8080))} and {@code put}.
 */
public final class Entities {

  /** The id of the default workspace in every entity. */
  public static final String WORKSPACE_ID = "00000000-0000-4000-8000-0000000000ff";

  private static final long CREATED_AT = 1_700_000_000L;

  private Entities() {}

  /**
   * A route entity with one path prefix, {@code strip_path=true}, {@code preserve_host=false}.
   *
   * @param name the route name
   * @param path the path prefix, for example {@code /api}
   * @param serviceId the id of its service
   * @return the entity
   */
  public static Map<String, Object> route(String name, String path, String serviceId) {
    Map<String, Object> route = new LinkedHashMap<>();
    route.put("id", "00000000-0000-4000-8000-020000000001");
    route.put("name", name);
    route.put("paths", List.of(path));
    route.put("protocols", List.of("http", "https"));
    route.put("service", Map.of("id", serviceId));
    route.put("ws_id", WORKSPACE_ID);
    route.put("created_at", CREATED_AT);
    route.put("updated_at", CREATED_AT);
    route.put("strip_path", true);
    route.put("preserve_host", false);
    route.put("regex_priority", 0L);
    route.put("https_redirect_status_code", 426L);
    route.put("path_handling", "v0");
    route.put("request_buffering", true);
    route.put("response_buffering", true);
    return route;
  }

  /**
   * A service entity with Kong's default retries and timeouts.
   *
   * @param name the service name
   * @param host the upstream host
   * @param port the upstream port
   * @return the entity
   */
  public static Map<String, Object> service(String name, String host, int port) {
    Map<String, Object> service = new LinkedHashMap<>();
    service.put("id", "00000000-0000-4000-8000-010000000001");
    service.put("name", name);
    service.put("protocol", "http");
    service.put("host", host);
    service.put("port", (long) port);
    service.put("retries", 5L);
    service.put("connect_timeout", 60000L);
    service.put("read_timeout", 60000L);
    service.put("write_timeout", 60000L);
    service.put("enabled", true);
    service.put("ws_id", WORKSPACE_ID);
    service.put("created_at", CREATED_AT);
    service.put("updated_at", CREATED_AT);
    return service;
  }

  /**
   * A consumer entity.
   *
   * @param id the consumer id, a UUID
   * @param username the username
   * @return the entity
   */
  public static Map<String, Object> consumer(String id, String username) {
    Map<String, Object> consumer = new LinkedHashMap<>();
    consumer.put("id", id);
    consumer.put("username", username);
    consumer.put("type", 0L);
    consumer.put("ws_id", WORKSPACE_ID);
    consumer.put("created_at", CREATED_AT);
    consumer.put("updated_at", CREATED_AT);
    return consumer;
  }

  /**
   * A credential entity as auth plugins store it (for example a key-auth key).
   *
   * @param id the credential id, a UUID
   * @param consumerId the id of the consumer it belongs to
   * @return the entity
   */
  public static Map<String, Object> credential(String id, String consumerId) {
    Map<String, Object> credential = new LinkedHashMap<>();
    credential.put("id", id);
    credential.put("consumer", Map.of("id", consumerId));
    credential.put("ws_id", WORKSPACE_ID);
    credential.put("created_at", CREATED_AT);
    return credential;
  }

  static Map<String, Object> defaultService() {
    return service("example-service", "upstream.test", 80);
  }

  static Map<String, Object> defaultRoute() {
    return route("example-route", "/", "00000000-0000-4000-8000-010000000001");
  }
}
