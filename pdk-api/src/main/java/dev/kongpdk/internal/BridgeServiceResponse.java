package dev.kongpdk.internal;

import dev.kongpdk.Bridge;
import dev.kongpdk.ServiceResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

final class BridgeServiceResponse implements ServiceResponse {

  private static final String PREFIX = "kong.service.response.";
  private static final String BODY = PREFIX + "get_body";

  private final Bridge bridge;

  BridgeServiceResponse(Bridge bridge) {
    this.bridge = bridge;
  }

  @Override
  public OptionalInt getStatus() {
    String method = PREFIX + "get_status";
    OptionalLong status = Values.optionalLong(method, bridge.call(method));
    return status.isPresent() ? OptionalInt.of(Values.toInt(method, status.getAsLong())) : OptionalInt.empty();
  }

  @Override
  public Optional<String> getHeader(String name) {
    String method = PREFIX + "get_header";
    return Values.optionalString(method, bridge.call(method, Values.requireNonNull("name", name)));
  }

  @Override
  public Map<String, List<String>> getHeaders() {
    String method = PREFIX + "get_headers";
    return Values.multiMap(method, bridge.call(method));
  }

  @Override
  public Map<String, List<String>> getHeaders(int maxHeaders) {
    String method = PREFIX + "get_headers";
    return Values.multiMap(method, bridge.call(method, (long) maxHeaders));
  }

  @Override
  public Optional<byte[]> getRawBody() {
    String method = PREFIX + "get_raw_body";
    return Values.optionalBytes(method, bridge.call(method));
  }

  @Override
  public Optional<Map<String, Object>> getBody() {
    return body(bridge.call(BODY));
  }

  @Override
  public Optional<Map<String, Object>> getBody(String mimetype) {
    return body(bridge.call(BODY, Values.requireNonNull("mimetype", mimetype)));
  }

  @Override
  public Optional<Map<String, Object>> getBody(String mimetype, int maxArgs) {
    return body(bridge.call(BODY, Values.requireNonNull("mimetype", mimetype), (long) maxArgs));
  }

  private static Optional<Map<String, Object>> body(Object value) {
    return value == null ? Optional.empty() : Optional.of(Values.map(BODY, value));
  }
}
