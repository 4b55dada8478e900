package dev.kongpdk.testkit;

import static dev.kongpdk.plugin.Phase.LOG;
import static dev.kongpdk.plugin.Phase.PREREAD;

import dev.kongpdk.plugin.Phase;
import dev.kongpdk.testkit.internal.Cidr;
import dev.kongpdk.testkit.internal.ErrorPages;
import dev.kongpdk.testkit.internal.FormArgs;
import dev.kongpdk.testkit.internal.Json;
import dev.kongpdk.testkit.internal.WireValues;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A simulated Kong gateway for one client request, answering PDK calls by their Lua names with the
 * values Kong sends over MessagePack ({@link #call(String, List)}). The same simulation answers
 * plugins running in process and plugins in a real plugin server reached over its socket.
 *
 * <p>What it simulates: the client request, the request Kong sends upstream as plugins change it,
 * the upstream's response, the client response, {@code kong.ctx.shared}, nginx vars and ctx, the
 * client address, consumers and credentials, route and service entities, the node, trusted IPs,
 * vault references, log capture and {@code kong.log.serialize}.
 *
 * <p>Rules, as in Kong 3.x:
 *
 * <ul>
 *   <li>Every function checks its phases like Kong's PDK (§6 of the protocol reference). A call
 *       outside them raises a Lua error: Kong answers nothing more for the event, logs the error,
 *       and in rewrite, access and response the client gets {@code 500 {"message":"An unexpected
 *       error occurred"}}. In the log phase, functions that touch {@code ngx.var}, {@code ngx.req}
 *       or {@code ngx.resp} are refused (Kong runs the log event in a timer); the saved-data
 *       overrides ({@code kong.request.get_header(s)}, {@code kong.response.get_status},
 *       {@code get_header(s)}, {@code get_source}, {@code kong.nginx.get_ctx}, {@code
 *       kong.ctx.shared.*}, {@code kong.log.serialize}, ...) work.
 *   <li>PDK errors ({@code nil, err}) are dropped as Kong 3.x does: the answer is absent.
 *   <li>Strict by default: a function it does not simulate throws {@link UnsimulatedCallError}
 *       naming it. With {@link Builder#strict(boolean) strict(false)} it answers nothing and logs
 *       {@code could not find pdk method}, as Kong does for unknown functions.
 * </ul>
 *
 * <p>A {@code FakeKong} is driven by {@link PluginTester}; it is not thread-safe.
 */
public final class FakeKong {

  /** The Lua functions whose result Kong packs as a multimap and sends with {@code plugin.StepMultiMap}. */
  private static final Set<String> MULTIMAP_METHODS = Set.of(
      "kong.request.get_query", "kong.request.get_headers", "kong.response.get_headers",
      "kong.service.response.get_headers");

  private static final Map<String, String> STEP_METHODS = Map.ofEntries(
      Map.entry("kong.client.get_credential", "plugin.StepCredential"),
      Map.entry("kong.client.authenticate", "plugin.StepCredential"),
      Map.entry("kong.client.load_consumer", "plugin.StepConsumer"),
      Map.entry("kong.client.get_consumer", "plugin.StepConsumer"),
      Map.entry("kong.node.get_memory_stats", "plugin.StepMemoryStats"),
      Map.entry("kong.router.get_route", "plugin.StepRoute"),
      Map.entry("kong.router.get_service", "plugin.StepService"),
      Map.entry("kong.request.get_query", "plugin.StepMultiMap"),
      Map.entry("kong.request.get_headers", "plugin.StepMultiMap"),
      Map.entry("kong.response.get_headers", "plugin.StepMultiMap"),
      Map.entry("kong.service.response.get_headers", "plugin.StepMultiMap"));

  private static final Set<String> TERMINAL_METHODS = Set.of("kong.response.exit", "kong.response.error");

  // Phase sets of §6, "Ext" column; log† (needs ngx.var/ngx.req in the log timer) is left out of LOG.

  final Builder settings;
  final TestRequest request;
  private final Map<String, Fn> functions = new HashMap<>();

  final Map<String, Object> ctxShared;
  final Map<String, Object> ngxCtx = new LinkedHashMap<>();
  /** {@code kong.log.set_serialize_value} entries: key to {value, mode}. */
  final Map<String, Object[]> serializeValues = new LinkedHashMap<>();
  private final List<PdkCall> calls = new ArrayList<>();
  final List<LogEntry> logs = new ArrayList<>();

  // The request Kong will send upstream.
  String upMethod;
  String upScheme;
  String upHost;
  int upPort;
  String upPath;
  String upQuery;
  Headers upHeaders;
  byte[] upBody;
  String upstreamName;
  Integer retries;
  UpstreamRequest.Timeouts timeouts;
  private UpstreamRequest sentUpstream;
  UpstreamResponse upstreamResponse;

  Map<String, Object> consumer;
  Map<String, Object> credential;

  // The client response being assembled.
  Headers responseHeaders = Headers.empty();
  private final Set<String> touchedResponseHeaders = new LinkedHashSet<>();
  Integer responseStatus;
  private byte[] responseBody = new byte[0];
  private String source;
  private boolean responded;

  // The running event.
  private String plugin;
  String pluginId;
  private Phase phase;
  private boolean eventEnded;
  private String eventLuaError;
  private UnsimulatedCallError strictFailure;

  private FakeKong(Builder settings) {
    this.settings = settings;
    this.request = settings.request;
    this.ctxShared = new LinkedHashMap<>(settings.ctxShared);
    this.consumer = settings.consumer;
    this.credential = settings.credential;
    Map<String, Object> service = settings.service;
    this.upMethod = request.method();
    this.upScheme = String.valueOf(service.getOrDefault("protocol", "http"));
    this.upHost = String.valueOf(service.getOrDefault("host", "upstream.test"));
    this.upPort = ((Number) service.getOrDefault("port", 80L)).intValue();
    this.upPath = upstreamPath();
    this.upQuery = request.rawQuery();
    this.upHeaders = proxiedHeaders();
    this.upBody = request.body();
    ngxCtx.put("KONG_PROCESSING_START", settings.startTimeMillis);
    registerFunctions();
  }

  /** Starts the settings of a simulated gateway for {@code request}. @param request the client request @return a builder */
  public static Builder builder(TestRequest request) {
    return new Builder(request);
  }

  /**
   * Answers {@code method(args...)} as Kong would over MessagePack.
   *
   * <p>Results have Kong's wire shapes: integral numbers as {@code Long}, raw bodies as {@code
   * byte[]}, headers and query args as a multimap of lower-case names to lists (flags as empty
   * lists), entities as maps, empty tables as empty lists, and {@code null} when Kong answers
   * without {@code Data}. {@code kong.response.exit} and {@code kong.response.error} end the event
   * and answer nothing.
   *
   * @param method the Lua function, for example {@code kong.request.get_header}
   * @param args the positional arguments
   * @return the answer, or {@code null} for nil
   * @throws UnsimulatedCallError when strict and the function is not simulated
   * @throws LuaError when Kong would raise a Lua error (wrong phase, bad arguments)
   * @throws IllegalStateException when no event is running or the event has ended
   */
  public Object call(String method, List<Object> args) {
    if (phase == null) {
      throw new IllegalStateException("no event is running: " + method + " cannot be answered");
    }
    if (eventEnded) {
      throw new IllegalStateException(method + " was called after the event ended; Kong would not read it");
    }
    List<Object> plain = new ArrayList<>(args.size());
    for (Object arg : args) {
      plain.add(WireValues.fromPlugin(arg));
    }
    Fn fn = functions.get(method);
    if (fn == null) {
      calls.add(new PdkCall(plugin, phase.luaName(), method, Collections.unmodifiableList(plain), Optional.empty()));
      if (settings.strict) {
        strictFailure = new UnsimulatedCallError(method, plugin, phase.luaName());
        eventEnded = true;
        throw strictFailure;
      }
      logs.add(new LogEntry("kong", phase.luaName(), "err", "could not find pdk method: " + method));
      return null;
    }
    try {
      if (!fn.phases.contains(phase)) {
        throw new LuaError(method, "function cannot be called in " + phase.luaName()
            + " phase (only in: " + fn.phases.stream().map(Phase::luaName).collect(Collectors.joining(", ")) + ")");
      }
      Object result = fn.handler.apply(new LuaArgs(method, plain));
      Object wire = MULTIMAP_METHODS.contains(method) ? multimapToWire(result) : WireValues.toWire(result);
      calls.add(new PdkCall(plugin, phase.luaName(), method, Collections.unmodifiableList(plain), Optional.ofNullable(wire)));
      return wire;
    } catch (LuaError e) {
      calls.add(new PdkCall(plugin, phase.luaName(), method, Collections.unmodifiableList(plain), Optional.empty()));
      eventLuaError = e.getMessage();
      eventEnded = true;
      throw e;
    }
  }

  /**
   * Returns the {@code plugin.Step*} method Kong answers {@code method} with over MessagePack (§3.6
   * of the protocol reference): {@code plugin.StepMultiMap} for the four header and query
   * getters, {@code plugin.StepRoute}, {@code StepService}, {@code StepConsumer}, {@code
   * StepCredential}, {@code StepMemoryStats} for their entities, {@code plugin.Step} otherwise.
   *
   * @param method the Lua function
   * @return the RPC method name
   */
  public static String stepMethod(String method) {
    return STEP_METHODS.getOrDefault(method, "plugin.Step");
  }

  /**
   * Returns whether Kong never answers {@code method}: {@code kong.response.exit} and {@code
   * kong.response.error} end the event.
   *
   * @param method the Lua function
   * @return true for the terminal functions
   */
  public static boolean isTerminal(String method) {
    return TERMINAL_METHODS.contains(method);
  }

  /** Returns every call answered so far, in order. */
  public List<PdkCall> calls() {
    return List.copyOf(calls);
  }

  /** Returns every captured log line, in order. */
  public List<LogEntry> logs() {
    return List.copyOf(logs);
  }

  /** Returns a copy of {@code kong.ctx.shared} as it is now. */
  public Map<String, Object> ctxShared() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(ctxShared));
  }

  // ---- lifecycle, driven by RequestRun ----

  void beginEvent(String pluginName, Phase eventPhase) {
    this.plugin = pluginName;
    this.pluginId = UUID.nameUUIDFromBytes(("plugin:" + pluginName).getBytes(StandardCharsets.UTF_8)).toString();
    this.phase = eventPhase;
    this.eventEnded = false;
    this.eventLuaError = null;
    ngxCtx.putIfAbsent("KONG_" + eventPhase.name() + "_START", settings.startTimeMillis);
  }

  /** Ends the running event; returns the Lua error Kong raised in it, if any. */
  Optional<String> endEvent() {
    Optional<String> error = Optional.ofNullable(eventLuaError);
    if (error.isPresent()) {
      logs.add(new LogEntry("kong", phase.luaName(), "err", "[" + plugin + "] " + eventLuaError));
      if (phase.isRequestPhase() && phase != PREREAD) {
        respondWithUnexpectedError();
      }
    }
    phase = null;
    plugin = null;
    eventEnded = true;
    return error;
  }

  Optional<UnsimulatedCallError> strictFailure() {
    return Optional.ofNullable(strictFailure);
  }

  boolean eventEnded() {
    return eventEnded;
  }

  /** Whether the client response is already decided (exit, error or an unexpected error). */
  boolean responded() {
    return responded;
  }

  /**
   * What Kong's router does when access starts: it sets the upstream path from the route, so a
   * path set in rewrite is lost (Kong's behaviour, seen by the conformance suite).
   */
  void route() {
    upPath = upstreamPath();
  }

  /** The phase of the running event, or null between events. */
  Phase phase() {
    return phase;
  }

  /** The prefix the route stripped, or null when none was (Kong's {@code X-Forwarded-Prefix}). */
  String strippedPrefix() {
    Map<String, Object> route = settings.route;
    if (route != null && Boolean.TRUE.equals(route.get("strip_path")) && route.get("paths") instanceof List<?> paths) {
      for (Object prefix : paths) {
        if (prefix instanceof String p && !p.equals("/") && request.rawPath().startsWith(p)) {
          return p;
        }
      }
    }
    return null;
  }

  /**
   * Sends the upstream request and makes the upstream's answer the client response. With
   * buffered proxying (a plugin has a response phase) Kong proxies through an nginx subrequest,
   * which sends {@code Content-Length: 0} for a request without a body.
   */
  void proxy(boolean buffered) {
    if (buffered && upBody.length == 0 && !upHeaders.contains("content-length")) {
      upHeaders = upHeaders.replacing("content-length", List.of("0"));
    }
    sentUpstream = new UpstreamRequest(upMethod, upScheme, upHost, upPort, upPath, upQuery, upHeaders,
        upBody, Optional.ofNullable(upstreamName), Optional.ofNullable(retries), Optional.ofNullable(timeouts));
    upstreamResponse = Objects.requireNonNull(settings.upstream.respond(sentUpstream),
        "the upstream function returned null");
    Headers merged = upstreamResponse.headers();
    for (String name : touchedResponseHeaders) {
      merged = merged.replacing(name, responseHeaders.all(name));
    }
    responseHeaders = merged;
    responseStatus = upstreamResponse.statusCode();
    responseBody = upstreamResponse.bodyBytes();
    source = "service";
  }

  Optional<UpstreamRequest> upstreamRequest() {
    return Optional.ofNullable(sentUpstream);
  }

  ClientResponse clientResponse() {
    return new ClientResponse(responseStatus == null ? 200 : responseStatus, responseHeaders,
        responseBody, source == null ? "error" : source);
  }

  // ---- the simulation ----

  private String upstreamPath() {
    String path = request.rawPath();
    Map<String, Object> route = settings.route;
    if (route != null && Boolean.TRUE.equals(route.get("strip_path")) && route.get("paths") instanceof List<?> paths) {
      for (Object prefix : paths) {
        if (prefix instanceof String p && path.startsWith(p)) {
          path = path.substring(p.length());
          break;
        }
      }
    }
    if (!path.startsWith("/")) {
      path = "/" + path;
    }
    Object servicePath = settings.service.get("path");
    if (servicePath instanceof String sp && !sp.isEmpty() && !sp.equals("/")) {
      path = (sp.endsWith("/") ? sp.substring(0, sp.length() - 1) : sp) + path;
    }
    return path;
  }

  private Headers proxiedHeaders() {
    Headers h = request.headers();
    boolean preserveHost = settings.route != null && Boolean.TRUE.equals(settings.route.get("preserve_host"));
    if (!preserveHost) {
      boolean defaultPort = (upScheme.equals("http") && upPort == 80) || (upScheme.equals("https") && upPort == 443);
      h = h.replacing("host", List.of(defaultPort ? upHost : upHost + ":" + upPort));
    }
    String xff = h.first("x-forwarded-for").map(v -> v + ", ").orElse("") + request.clientIp();
    h = h.replacing("x-forwarded-for", List.of(xff));
    h = h.replacing("x-forwarded-proto", List.of(forwarded("x-forwarded-proto", request.scheme())));
    h = h.replacing("x-forwarded-host", List.of(forwarded("x-forwarded-host", request.host())));
    h = h.replacing("x-forwarded-port", List.of(forwarded("x-forwarded-port", Integer.toString(request.port()))));
    h = h.replacing("x-forwarded-path", List.of(forwarded("x-forwarded-path", request.rawPath())));
    h = h.replacing("x-real-ip", List.of(request.clientIp()));
    return h;
  }

  boolean clientTrusted() {
    return isTrusted(request.clientIp());
  }

  String forwarded(String header, String fallback) {
    return clientTrusted() ? request.headers().first(header).orElse(fallback) : fallback;
  }

  boolean isTrusted(String address) {
    for (String trusted : settings.trustedIps) {
      if (trusted.equals(address) || Cidr.contains(trusted, address)) {
        return true;
      }
    }
    return false;
  }

  void exit(long status, Object body, Map<String, Object> headers) {
    Headers h = responseHeaders;
    for (Map.Entry<String, Object> e : headers.entrySet()) {
      if (isTransferEncoding(e.getKey())) {
        warnTransferEncoding();
      } else {
        h = h.replacing(e.getKey(), headerValues(e.getKey(), e.getValue()));
      }
    }
    byte[] bytes = new byte[0];
    if (body instanceof String s) {
      bytes = s.getBytes(StandardCharsets.UTF_8);
    } else if (body instanceof byte[] b) {
      bytes = b;
    } else if (body instanceof Map<?, ?> || body instanceof List<?>) {
      bytes = Json.encode(body).getBytes(StandardCharsets.UTF_8);
      if (!h.contains("content-type")) {
        h = h.replacing("content-type", List.of("application/json; charset=utf-8"));
      }
    }
    if (!h.contains("content-length")) {
      h = h.replacing("content-length", List.of(Integer.toString(bytes.length)));
    }
    responseHeaders = h;
    responseStatus = (int) status;
    responseBody = bytes;
    source = "exit";
    responded = true;
    eventEnded = true;
  }

  static boolean isTransferEncoding(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.equals("transfer-encoding") || lower.equals("transfer_encoding");
  }

  void warnTransferEncoding() {
    logs.add(new LogEntry(plugin, phase.luaName(), "warn", "manually setting Transfer-Encoding. Ignored."));
  }

  /** The error body Kong writes for {@code kong.response.error}, in the format the client accepts. */
  String[] errorBody(String message, Map<String, Object> headers) {
    String type = null;
    for (Map.Entry<String, Object> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase("content-type")) {
        type = headerValues(e.getKey(), e.getValue()).get(0);
      }
    }
    if (type == null) {
      type = ErrorPages.negotiate(String.join(",", request.headers().all("accept")));
    }
    String body = ErrorPages.body(type, message, settings.requestId);
    return new String[] {type, body};
  }

  private void respondWithUnexpectedError() {
    responseBody = "{\"message\":\"An unexpected error occurred\"}".getBytes(StandardCharsets.UTF_8);
    responseHeaders = Headers.empty().with("content-type", "application/json; charset=utf-8")
        .with("content-length", Integer.toString(responseBody.length));
    responseStatus = 500;
    source = "error";
    responded = true;
  }

  void setResponseHeader(String name, List<String> values) {
    responseHeaders = responseHeaders.replacing(name, values);
    touchedResponseHeaders.add(name.toLowerCase(Locale.ROOT));
  }

  static List<String> headerValues(String name, Object value) {
    if (value instanceof List<?> list) {
      List<String> values = new ArrayList<>();
      for (Object element : list) {
        values.add(headerValue(name, element));
      }
      return values;
    }
    return List.of(headerValue(name, value));
  }

  static String headerValue(String name, Object value) {
    if (value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean) {
      return WireValues.luaText(value);
    }
    throw new LuaError("header", "invalid header value for \"" + name + "\": got "
        + luaType(value) + ", expected array of string, string, number or boolean");
  }

  static String luaType(Object value) {
    if (value == null) {
      return "nil";
    }
    if (value instanceof String || value instanceof byte[]) {
      return "string";
    }
    if (value instanceof Long || value instanceof Double) {
      return "number";
    }
    if (value instanceof Boolean) {
      return "boolean";
    }
    return "table";
  }

  private static Object multimapToWire(Object result) {
    if (result == null) {
      return null;
    }
    @SuppressWarnings("unchecked")
    Map<String, List<Object>> map = (Map<String, List<Object>>) result;
    Map<String, Object> wire = new LinkedHashMap<>();
    map.forEach((name, values) -> {
      List<Object> list = new ArrayList<>();
      for (Object v : values) {
        if (!(values.size() == 1 && Boolean.TRUE.equals(v))) {
          list.add(v); // a lone flag becomes an empty array; mixed flags stay true
        }
      }
      wire.put(name, list);
    });
    return wire; // an empty result stays an empty map, unlike other tables
  }

  Map<String, List<Object>> headerMultimap(Headers headers, Long max) {
    int limit = limit("max_headers", max);
    Map<String, List<Object>> map = new LinkedHashMap<>();
    int count = 0;
    for (Map.Entry<String, List<String>> e : headers.asMap().entrySet()) {
      for (String v : e.getValue()) {
        if (count++ == limit) {
          return map;
        }
        map.computeIfAbsent(e.getKey(), n -> new ArrayList<>()).add(v);
      }
    }
    return map;
  }

  static int limit(String what, Long max) {
    if (max == null) {
      return 100;
    }
    if (max < 1 || max > 1000) {
      throw new LuaError("args", what + " must be >= 1 and <= 1000");
    }
    return max.intValue();
  }

  static String headerGetName(String name) {
    return name.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  Object decodeBody(byte[] body, Headers headers, String mimetype, Long maxArgs) {
    String type = mimetype != null ? mimetype : headers.first("content-type").orElse(null);
    if (type == null) {
      return null; // Kong: nil, "missing content type" (the error is dropped by Kong 3.x)
    }
    String lower = type.toLowerCase(Locale.ROOT);
    if (lower.contains("application/json") || lower.contains("+json")) {
      return Json.decode(body).orElse(null);
    }
    if (lower.contains("application/x-www-form-urlencoded")) {
      Map<String, Object> form = new LinkedHashMap<>();
      FormArgs.parse(new String(body, StandardCharsets.UTF_8), limit("max_args", maxArgs)).forEach(
          (name, values) -> form.put(name, values.size() == 1 ? values.get(0) : values));
      return form;
    }
    return null; // unsupported content type, multipart included
  }

  Map<String, Object> serialize() {
    Map<String, Object> log = new LinkedHashMap<>();
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("uri", request.rawPath() + (request.rawQuery().isEmpty() ? "" : "?" + request.rawQuery()));
    req.put("url", request.scheme() + "://" + request.host() + ":" + request.port() + req.get("uri"));
    req.put("querystring", singleValues(FormArgs.parse(request.rawQuery(), 100)));
    req.put("method", request.method());
    req.put("headers", singleValues(new LinkedHashMap<>(request.headers().asMap())));
    req.put("size", (long) request.body().length);
    log.put("request", req);
    if (sentUpstream != null) {
      log.put("upstream_uri", sentUpstream.pathWithQuery());
      log.put("upstream_status", (long) upstreamResponse.statusCode());
      log.put("tries", List.of(Map.of("ip", sentUpstream.host(), "port", (long) sentUpstream.port())));
    }
    ClientResponse r = clientResponse();
    Map<String, Object> resp = new LinkedHashMap<>();
    resp.put("status", (long) r.status());
    resp.put("headers", singleValues(new LinkedHashMap<>(r.headers().asMap())));
    resp.put("size", (long) r.body().length);
    log.put("response", resp);
    log.put("latencies", Map.of("kong", 0L, "proxy", sentUpstream == null ? -1L : 0L, "request", 0L, "receive", 0L));
    if (settings.route != null) {
      log.put("route", settings.route);
    }
    log.put("service", settings.service);
    if (consumer != null) {
      log.put("consumer", consumer);
    }
    if (credential != null) {
      log.put("authenticated_entity", Map.of("id", credential.getOrDefault("id", "")));
    }
    log.put("client_ip", request.clientIp());
    log.put("started_at", settings.startTimeMillis);
    log.put("source", r.source().equals("service") ? "upstream" : "kong");
    log.put("workspace", settings.workspaceId);
    log.put("workspace_name", "default");
    serializeValues.forEach((path, entry) -> putPath(log, path, entry[0], (String) entry[1]));
    return log;
  }

  private static Map<String, Object> singleValues(Map<String, ? extends List<?>> multi) {
    Map<String, Object> out = new LinkedHashMap<>();
    multi.forEach((k, v) -> out.put(k, v.size() == 1 ? v.get(0) : v));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void putPath(Map<String, Object> root, String path, Object value, String mode) {
    String[] parts = path.split("\\.");
    Map<String, Object> node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      Object child = node.get(parts[i]);
      if (!(child instanceof Map<?, ?>)) {
        child = new LinkedHashMap<String, Object>();
        node.put(parts[i], child);
      } else {
        child = new LinkedHashMap<>((Map<String, Object>) child);
        node.put(parts[i], child);
      }
      node = (Map<String, Object>) child;
    }
    String last = parts[parts.length - 1];
    boolean present = node.containsKey(last);
    if ((mode.equals("add") && present) || (mode.equals("replace") && !present)) {
      return; // "add" never overwrites, "replace" never creates
    }
    if (value == null) {
      node.remove(last);
    } else {
      node.put(last, value);
    }
  }

  void log(String level, List<Object> args) {
    StringBuilder message = new StringBuilder();
    for (Object arg : args) {
      message.append(WireValues.luaText(arg));
    }
    logs.add(new LogEntry(plugin, phase.luaName(), level, message.toString()));
  }

  void fn(String name, Set<Phase> phases, Function<LuaArgs, Object> handler) {
    functions.put(name, new Fn(phases, handler));
  }

  private void registerFunctions() {
    ClientFunctions.register(this);
    ContextFunctions.register(this);
    NodeFunctions.register(this);
    RequestFunctions.register(this);
    ResponseFunctions.register(this);
    ServiceFunctions.register(this);
  }

  private record Fn(Set<Phase> phases, Function<LuaArgs, Object> handler) {}

  /** The simulated gateway's settings: request, upstream, entities, trust, node and strictness. */
  public static final class Builder {
    final TestRequest request;
    Upstream upstream = UpstreamResponse.echo();
    Map<String, Object> route = Entities.defaultRoute();
    Map<String, Object> service = Entities.defaultService();
    Map<String, Object> consumer;
    Map<String, Object> credential;
    final List<Map<String, Object>> consumers = new ArrayList<>();
    final Set<String> trustedIps = new LinkedHashSet<>();
    final Map<String, String> nginxVars = new HashMap<>();
    final Set<String> upstreams = new LinkedHashSet<>();
    final Map<String, String> secrets = new HashMap<>();
    final Map<String, Object> ctxShared = new LinkedHashMap<>();
    String nodeId = "00000000-0000-4000-8000-00000000000a";
    String clusterId = "00000000-0000-4000-8000-00000000000c";
    String workspaceId = Entities.WORKSPACE_ID;
    String hostname = "fake-kong";
    String requestId = "0123456789abcdef0123456789abcdef";
    String clientCertificate;
    boolean openTelemetryLogs;
    long startTimeMillis = 1_700_000_000_000L;
    boolean strict = true;

    private Builder(TestRequest request) {
      this.request = Objects.requireNonNull(request, "request");
    }

    /** Sets the upstream service (default: {@link UpstreamResponse#echo()}). @param upstream the upstream @return this */
    public Builder upstream(Upstream upstream) {
      this.upstream = Objects.requireNonNull(upstream, "upstream");
      return this;
    }

    /**
     * Sets the matched route entity ({@code kong.router.get_route}); {@code null} for none. Its
     * {@code paths}, {@code strip_path} and {@code preserve_host} shape the upstream request.
     *
     * @param route the entity, shaped like Kong's (see {@link Entities#route})
     * @return this
     */
    public Builder route(Map<String, ?> route) {
      this.route = route == null ? null : copy(route);
      return this;
    }

    /**
     * Sets the service entity ({@code kong.router.get_service}); its {@code protocol}, {@code host},
     * {@code port} and {@code path} are where the request is proxied.
     *
     * @param service the entity (see {@link Entities#service})
     * @return this
     */
    public Builder service(Map<String, ?> service) {
      this.service = copy(Objects.requireNonNull(service, "service"));
      return this;
    }

    /**
     * Sets the consumer an earlier auth plugin identified ({@code kong.client.get_consumer}).
     *
     * @param consumer the entity (see {@link Entities#consumer})
     * @return this
     */
    public Builder authenticatedConsumer(Map<String, ?> consumer) {
      this.consumer = copy(consumer);
      this.consumers.add(this.consumer);
      return this;
    }

    /**
     * Sets the credential an earlier auth plugin identified ({@code kong.client.get_credential}).
     *
     * @param credential the entity (see {@link Entities#credential})
     * @return this
     */
    public Builder authenticatedCredential(Map<String, ?> credential) {
      this.credential = copy(credential);
      return this;
    }

    /**
     * Adds a consumer to the database {@code kong.client.load_consumer} reads.
     *
     * @param consumer the entity with {@code id} and {@code username}
     * @return this
     */
    public Builder consumer(Map<String, ?> consumer) {
      consumers.add(copy(consumer));
      return this;
    }

    /**
     * Trusts an address or IPv4 CIDR ({@code trusted_ips}): forwarded headers from it are used.
     *
     * @param addressOrCidr for example {@code 10.0.0.1} or {@code 0.0.0.0/0}
     * @return this
     */
    public Builder trustedIp(String addressOrCidr) {
      trustedIps.add(addressOrCidr);
      return this;
    }

    /**
     * Sets an nginx variable ({@code kong.nginx.get_var}); common variables are derived from the
     * request without this.
     *
     * @param name the variable name without {@code $}
     * @param value its value
     * @return this
     */
    public Builder nginxVar(String name, String value) {
      nginxVars.put(name, value);
      return this;
    }

    /**
     * Declares an upstream entity name that {@code kong.service.set_upstream} can select.
     *
     * @param name the upstream name
     * @return this
     */
    public Builder upstreamEntity(String name) {
      upstreams.add(name);
      return this;
    }

    /**
     * Sets the value {@code kong.vault.get(reference)} returns.
     *
     * @param reference for example {@code {vault://env/my-secret}}
     * @param value the secret
     * @return this
     */
    public Builder secret(String reference, String value) {
      secrets.put(reference, value);
      return this;
    }

    /**
     * Puts a value into {@code kong.ctx.shared} before the first plugin runs.
     *
     * @param key the key
     * @param value a plain value
     * @return this
     */
    public Builder ctxShared(String key, Object value) {
      ctxShared.put(key, WireValues.fromPlugin(value));
      return this;
    }

    /** Sets the node id ({@code kong.node.get_id}). @param id a UUID @return this */
    public Builder nodeId(String id) {
      this.nodeId = id;
      return this;
    }

    /** Sets Kong's request id, shown in {@code kong.response.error} bodies. @param id the id @return this */
    public Builder requestId(String id) {
      this.requestId = Objects.requireNonNull(id, "id");
      return this;
    }

    /** Sets the hostname ({@code kong.node.get_hostname}). @param name the hostname @return this */
    public Builder hostname(String name) {
      this.hostname = name;
      return this;
    }

    /** Sets the client certificate chain PEM ({@code kong.client.tls.get_full_client_certificate_chain}). @param pem the chain @return this */
    public Builder clientCertificate(String pem) {
      this.clientCertificate = pem;
      return this;
    }

    /**
     * Sets whether the OpenTelemetry plugin reports logs, so that {@code kong.telemetry.log}
     * succeeds and is captured with level {@code telemetry} (default: it answers nil).
     *
     * @param enabled whether logs are reported
     * @return this
     */
    public Builder openTelemetryLogs(boolean enabled) {
      this.openTelemetryLogs = enabled;
      return this;
    }

    /** Sets the request start time in epoch milliseconds. @param millis the time @return this */
    public Builder startTimeMillis(long millis) {
      this.startTimeMillis = millis;
      return this;
    }

    /**
     * Sets whether a function FakeKong does not simulate fails the test (default {@code true}).
     * With {@code false} it answers nil and logs {@code could not find pdk method}, as Kong does
     * for unknown functions.
     *
     * @param strict whether to fail on unsimulated functions
     * @return this
     */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /** Returns a fresh simulation for one request. */
    public FakeKong build() {
      return new FakeKong(this);
    }

    TestRequest request() {
      return request;
    }

    private static Map<String, Object> copy(Map<String, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> plain = (Map<String, Object>) WireValues.fromPlugin(map);
      return Collections.unmodifiableMap(plain);
    }
  }
}
