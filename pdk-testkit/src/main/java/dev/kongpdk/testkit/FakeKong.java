package dev.kongpdk.testkit;

import static dev.kongpdk.plugin.Phase.ACCESS;
import static dev.kongpdk.plugin.Phase.CERTIFICATE;
import static dev.kongpdk.plugin.Phase.LOG;
import static dev.kongpdk.plugin.Phase.PREREAD;
import static dev.kongpdk.plugin.Phase.RESPONSE;
import static dev.kongpdk.plugin.Phase.REWRITE;

import dev.kongpdk.plugin.Phase;
import dev.kongpdk.testkit.internal.Cidr;
import dev.kongpdk.testkit.internal.ErrorPages;
import dev.kongpdk.testkit.internal.FormArgs;
import dev.kongpdk.testkit.internal.Json;
import dev.kongpdk.testkit.internal.MemorySizes;
import dev.kongpdk.testkit.internal.Paths;
import dev.kongpdk.testkit.internal.VaultReferences;
import dev.kongpdk.testkit.internal.WireValues;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
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
import java.util.regex.Pattern;
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

  private static final Pattern UUID_PATTERN =
      Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
  private static final Set<String> METHODS = Set.of(
      "GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS", "MKCOL", "COPY", "MOVE", "PROPFIND",
      "PROPPATCH", "LOCK", "UNLOCK", "PATCH", "TRACE", "CONNECT");

  // Phase sets of §6, "Ext" column; log† (needs ngx.var/ngx.req in the log timer) is left out of LOG.
  private static final Set<Phase> ANY = EnumSet.allOf(Phase.class);
  private static final Set<Phase> NOT_IN_LOG_TIMER = EnumSet.of(CERTIFICATE, REWRITE, ACCESS, RESPONSE, PREREAD);
  private static final Set<Phase> REQ = EnumSet.of(REWRITE, ACCESS, RESPONSE);
  private static final Set<Phase> REQ_SAVED = EnumSet.of(REWRITE, ACCESS, RESPONSE, LOG);
  private static final Set<Phase> AUTH = EnumSet.of(ACCESS, RESPONSE, LOG);
  private static final Set<Phase> R_READ = EnumSet.of(RESPONSE, LOG);
  private static final Set<Phase> R_WRITE = EnumSet.of(REWRITE, ACCESS, RESPONSE);
  private static final Set<Phase> EXIT = EnumSet.of(REWRITE, ACCESS, RESPONSE, PREREAD);
  private static final Set<Phase> TGT = EnumSet.of(REWRITE, ACCESS, PREREAD);
  private static final Set<Phase> ONLY_ACCESS = EnumSet.of(ACCESS);
  private static final Set<Phase> RA = EnumSet.of(REWRITE, ACCESS);
  private static final Set<Phase> ONLY_PREREAD = EnumSet.of(PREREAD);
  private static final Set<Phase> ONLY_RESPONSE = EnumSet.of(RESPONSE);
  private static final Set<Phase> ONLY_LOG = EnumSet.of(LOG);
  private static final Set<Phase> ONLY_CERTIFICATE = EnumSet.of(CERTIFICATE);
  private static final Set<Phase> BODY_FILTER_ONLY = EnumSet.noneOf(Phase.class);

  private final Builder settings;
  private final TestRequest request;
  private final Map<String, Fn> functions = new HashMap<>();

  private final Map<String, Object> ctxShared;
  private final Map<String, Object> ngxCtx = new LinkedHashMap<>();
  private final Map<String, Object> serializeValues = new LinkedHashMap<>();
  private final List<PdkCall> calls = new ArrayList<>();
  private final List<LogEntry> logs = new ArrayList<>();

  // The request Kong will send upstream.
  private String upMethod;
  private String upScheme;
  private String upHost;
  private int upPort;
  private String upPath;
  private String upQuery;
  private Headers upHeaders;
  private byte[] upBody;
  private String upstreamName;
  private Integer retries;
  private UpstreamRequest.Timeouts timeouts;
  private UpstreamRequest sentUpstream;
  private UpstreamResponse upstreamResponse;

  private Map<String, Object> consumer;
  private Map<String, Object> credential;

  // The client response being assembled.
  private Headers responseHeaders = Headers.empty();
  private final Set<String> touchedResponseHeaders = new LinkedHashSet<>();
  private Integer responseStatus;
  private byte[] responseBody = new byte[0];
  private String source;
  private boolean responded;

  // The running event.
  private String plugin;
  private String pluginId;
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
      Object result = fn.handler.apply(new Args(method, plain));
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

  /** Sends the upstream request and makes the upstream's answer the client response. */
  void proxy() {
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

  private boolean clientTrusted() {
    return isTrusted(request.clientIp());
  }

  private String forwarded(String header, String fallback) {
    return clientTrusted() ? request.headers().first(header).orElse(fallback) : fallback;
  }

  private boolean isTrusted(String address) {
    for (String trusted : settings.trustedIps) {
      if (trusted.equals(address) || Cidr.contains(trusted, address)) {
        return true;
      }
    }
    return false;
  }

  private void exit(long status, Object body, Map<String, Object> headers) {
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

  private static boolean isTransferEncoding(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.equals("transfer-encoding") || lower.equals("transfer_encoding");
  }

  private void warnTransferEncoding() {
    logs.add(new LogEntry(plugin, phase.luaName(), "warn", "manually setting Transfer-Encoding. Ignored."));
  }

  /** The error body Kong writes for {@code kong.response.error}, in the format the client accepts. */
  private String[] errorBody(String message, Map<String, Object> headers) {
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

  private void setResponseHeader(String name, List<String> values) {
    responseHeaders = responseHeaders.replacing(name, values);
    touchedResponseHeaders.add(name.toLowerCase(Locale.ROOT));
  }

  private static List<String> headerValues(String name, Object value) {
    if (value instanceof List<?> list) {
      List<String> values = new ArrayList<>();
      for (Object element : list) {
        values.add(headerValue(name, element));
      }
      return values;
    }
    return List.of(headerValue(name, value));
  }

  private static String headerValue(String name, Object value) {
    if (value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean) {
      return WireValues.luaText(value);
    }
    throw new LuaError("header", "invalid header value for \"" + name + "\": got "
        + luaType(value) + ", expected array of string, string, number or boolean");
  }

  private static String luaType(Object value) {
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

  private Map<String, List<Object>> headerMultimap(Headers headers, Long max) {
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

  private static int limit(String what, Long max) {
    if (max == null) {
      return 100;
    }
    if (max < 1 || max > 1000) {
      throw new LuaError("args", what + " must be >= 1 and <= 1000");
    }
    return max.intValue();
  }

  private static String headerGetName(String name) {
    return name.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private Object decodeBody(byte[] body, Headers headers, String mimetype, Long maxArgs) {
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

  private Map<String, Object> serialize() {
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
    serializeValues.forEach((path, value) -> putPath(log, path, value));
    return log;
  }

  private static Map<String, Object> singleValues(Map<String, ? extends List<?>> multi) {
    Map<String, Object> out = new LinkedHashMap<>();
    multi.forEach((k, v) -> out.put(k, v.size() == 1 ? v.get(0) : v));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void putPath(Map<String, Object> root, String path, Object value) {
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
    if (value == null) {
      node.remove(parts[parts.length - 1]);
    } else {
      node.put(parts[parts.length - 1], value);
    }
  }

  private void log(String level, List<Object> args) {
    StringBuilder message = new StringBuilder();
    for (Object arg : args) {
      message.append(WireValues.luaText(arg));
    }
    logs.add(new LogEntry(plugin, phase.luaName(), level, message.toString()));
  }

  private void fn(String name, Set<Phase> phases, Function<Args, Object> handler) {
    functions.put(name, new Fn(phases, handler));
  }

  private void registerFunctions() {
    registerClient();
    registerContextAndLog();
    registerNginxNodeVault();
    registerRequest();
    registerResponse();
    registerService();
  }

  private void registerClient() {
    fn("kong.client.get_ip", NOT_IN_LOG_TIMER, a -> request.clientIp());
    fn("kong.client.get_forwarded_ip", NOT_IN_LOG_TIMER, a -> clientTrusted()
        ? request.headers().first("x-forwarded-for").map(v -> v.split(",")[0].trim()).orElse(request.clientIp())
        : request.clientIp());
    fn("kong.client.get_port", NOT_IN_LOG_TIMER, a -> (long) request.clientPort());
    fn("kong.client.get_forwarded_port", NOT_IN_LOG_TIMER, a -> (long) request.clientPort());
    fn("kong.client.get_credential", AUTH, a -> credential);
    fn("kong.client.get_consumer", AUTH, a -> consumer);
    fn("kong.client.load_consumer", AUTH, a -> {
      String id = a.string(0, "consumer_id");
      boolean byUsername = Boolean.TRUE.equals(a.opt(1));
      if (!byUsername && !UUID_PATTERN.matcher(id).matches()) {
        throw new LuaError(a.method, "cannot load a consumer with an id that is not a uuid");
      }
      for (Map<String, Object> c : settings.consumers) {
        if (id.equals(c.get("id"))) {
          return c;
        }
      }
      if (byUsername) {
        for (Map<String, Object> c : settings.consumers) {
          if (id.equals(c.get("username"))) {
            return c;
          }
        }
      }
      return null;
    });
    fn("kong.client.authenticate", ONLY_ACCESS, a -> {
      Object c = a.opt(0);
      Object cred = a.opt(1);
      if (c != null && !(c instanceof Map<?, ?> || c instanceof List<?>)) {
        throw new LuaError(a.method, "consumer must be a table or nil");
      }
      if (cred != null && !(cred instanceof Map<?, ?> || cred instanceof List<?>)) {
        throw new LuaError(a.method, "credential must be a table or nil");
      }
      if (c == null && cred == null) {
        throw new LuaError(a.method, "either credential or consumer must be provided");
      }
      consumer = c == null ? null : a.table(0, "consumer");
      credential = cred == null ? null : a.table(1, "credential");
      return null;
    });
    fn("kong.client.get_protocol", AUTH, a -> {
      if (settings.route == null) {
        return null; // nil, "No active route found"
      }
      if (settings.route.get("protocols") instanceof List<?> protocols && protocols.size() == 1) {
        return protocols.get(0);
      }
      if (request.scheme().equals("https")) {
        return "https";
      }
      boolean terminated = Boolean.TRUE.equals(a.opt(0)) && clientTrusted()
          && request.headers().first("x-forwarded-proto").map(p -> p.equalsIgnoreCase("https")).orElse(false);
      return terminated ? "https" : "http";
    });
    fn("kong.client.tls.request_client_certificate", ONLY_CERTIFICATE, a -> true);
    fn("kong.client.tls.disable_session_reuse", ONLY_CERTIFICATE, a -> true);
    fn("kong.client.tls.get_full_client_certificate_chain", REQ, a -> settings.clientCertificate);
    fn("kong.client.tls.set_client_verify", REQ, a -> {
      a.string(0, "v");
      return null;
    });
    fn("kong.router.get_route", AUTH, a -> settings.route);
    fn("kong.router.get_service", AUTH, a -> settings.service);
  }

  private void registerContextAndLog() {
    fn("kong.ctx.shared.get", ANY, a -> ctxShared.get(a.string(0, "key")));
    fn("kong.ctx.shared.set", ANY, a -> {
      String key = a.string(0, "key");
      if (a.opt(1) == null) {
        ctxShared.remove(key);
      } else {
        ctxShared.put(key, a.opt(1));
      }
      return null;
    });
    for (String level : List.of("debug", "info", "notice", "warn", "err", "crit", "alert", "emerg")) {
      fn("kong.log." + level, ANY, a -> {
        log(level, a.values);
        return null;
      });
    }
    fn("kong.log", ANY, a -> {
      log("notice", a.values);
      return null;
    });
    fn("kong.log.inspect", ANY, a -> {
      log("debug", a.values);
      return null;
    });
    fn("kong.log.set_format", ANY, a -> null);
    fn("kong.log.trace", ANY, a -> null); // a no-op unless Kong runs its own test suite
    fn("kong.log.deprecation", ANY, a -> {
      log("warn", a.values);
      return null;
    });
    fn("kong.log.set_serialize_value", REQ_SAVED, a -> {
      String key = a.string(0, "key");
      serializeValues.put(key, a.opt(1));
      return null;
    });
    fn("kong.log.serialize", ONLY_LOG, a -> Json.encode(serialize()));
    fn("kong.ip.is_trusted", ANY, a -> isTrusted(a.string(0, "address")));
    fn("kong.plugin.get_id", ANY, a -> pluginId);
    fn("kong.cluster.get_id", ANY, a -> settings.clusterId);
  }

  private void registerNginxNodeVault() {
    fn("kong.nginx.get_subsystem", ANY, a -> "http");
    fn("kong.nginx.get_statistics", ANY, a -> Map.of(
        "connections_active", 1L, "connections_reading", 0L, "connections_writing", 1L,
        "connections_waiting", 0L, "connections_accepted", 1L, "connections_handled", 1L,
        "total_requests", 1L));
    fn("kong.nginx.get_var", EnumSet.of(REWRITE, ACCESS, RESPONSE, PREREAD), a -> nginxVar(a.string(0, "name")));
    fn("kong.nginx.get_tls1_version_str", ANY, a -> request.scheme().equals("https") ? "TLSv1.3" : null);
    fn("kong.nginx.get_ctx", ANY, a -> ngxCtx.get(a.string(0, "key")));
    fn("kong.nginx.set_ctx", ANY, a -> {
      String key = a.string(0, "key");
      if (a.opt(1) == null) {
        ngxCtx.remove(key);
      } else {
        ngxCtx.put(key, a.opt(1));
      }
      return null;
    });
    fn("kong.nginx.req_start_time", ANY, a -> settings.startTimeMillis / 1000.0);
    fn("kong.node.get_id", ANY, a -> settings.nodeId);
    fn("kong.node.get_hostname", ANY, a -> settings.hostname);
    fn("kong.node.get_memory_stats", ANY, a -> {
      String unit = a.opt(0) == null ? "b" : a.string(0, "unit").toLowerCase(Locale.ROOT);
      long scale = a.opt(1) == null ? 2 : a.number(1, "scale").longValue();
      if (!List.of("b", "k", "m", "g").contains(unit)) {
        throw new LuaError(a.method, "invalid unit '" + unit + "' (expected 'k/K', 'm/M', or 'g/G')");
      }
      Function<Long, Object> size = bytes -> unit.equals("b") ? bytes : MemorySizes.format(bytes, unit, scale);
      return Map.of(
          "lua_shared_dicts", Map.of(
              "kong", Map.of("allocated_slabs", size.apply(40960L), "capacity", size.apply(5242880L)),
              "kong_db_cache", Map.of("allocated_slabs", size.apply(794624L), "capacity", size.apply(134217728L))),
          "workers_lua_vms", List.of(Map.of("pid", 1L, "http_allocated_gc", size.apply(3095914L))));
    });
    fn("kong.vault.is_reference", ANY, a -> a.opt(0) instanceof String s && s.startsWith("{vault://") && s.endsWith("}"));
    fn("kong.vault.get", ANY, a -> settings.secrets.get(a.string(0, "reference")));
    fn("kong.vault.parse_reference", ANY, a -> VaultReferences.parse(a.string(0, "reference")));
    fn("kong.vault.flush", ANY, a -> null);
  }

  private Object nginxVar(String name) {
    if (settings.nginxVars.containsKey(name)) {
      return settings.nginxVars.get(name);
    }
    if (name.startsWith("http_")) {
      return request.headers().first(name.substring(5).replace('_', '-')).orElse(null);
    }
    if (name.startsWith("arg_")) {
      List<Object> values = FormArgs.parse(request.rawQuery(), 100).get(name.substring(4));
      return values == null || !(values.get(0) instanceof String s) ? null : s;
    }
    String query = request.rawQuery();
    return switch (name) {
      case "request_uri" -> request.rawPath() + (query.isEmpty() ? "" : "?" + query);
      case "uri" -> Paths.normalize(request.rawPath());
      case "args", "query_string" -> query.isEmpty() ? null : query;
      case "is_args" -> query.isEmpty() ? "" : "?";
      case "host" -> request.host();
      case "scheme" -> request.scheme();
      case "request_method" -> request.method();
      case "remote_addr", "realip_remote_addr", "binary_remote_addr" -> request.clientIp();
      case "remote_port", "realip_remote_port" -> Integer.toString(request.clientPort());
      case "server_port" -> Integer.toString(request.port());
      case "server_protocol" -> request.httpVersion() == 2.0 ? "HTTP/2.0" : "HTTP/" + request.httpVersion();
      case "content_type" -> request.headers().first("content-type").orElse(null);
      case "content_length" -> request.body().length == 0 ? null : Integer.toString(request.body().length);
      case "upstream_uri" -> upPath + (upQuery.isEmpty() ? "" : "?" + upQuery);
      default -> null;
    };
  }

  private void registerRequest() {
    fn("kong.request.get_scheme", REQ, a -> request.scheme());
    fn("kong.request.get_host", REQ, a -> request.host());
    fn("kong.request.get_port", NOT_IN_LOG_TIMER, a -> (long) request.port());
    fn("kong.request.get_forwarded_scheme", REQ, a -> forwarded("x-forwarded-proto", request.scheme()).toLowerCase(Locale.ROOT));
    fn("kong.request.get_forwarded_host", REQ, a -> forwarded("x-forwarded-host", request.host()).split(":")[0].toLowerCase(Locale.ROOT));
    fn("kong.request.get_forwarded_port", REQ, a -> {
      String port = forwarded("x-forwarded-port", Integer.toString(request.port()));
      try {
        return Long.parseLong(port.trim());
      } catch (NumberFormatException e) {
        return (long) request.port();
      }
    });
    fn("kong.request.get_forwarded_path", REQ, a -> forwarded("x-forwarded-path", request.rawPath()));
    fn("kong.request.get_forwarded_prefix", REQ, a -> clientTrusted() ? request.headers().first("x-forwarded-prefix").orElse(null) : null);
    fn("kong.request.get_http_version", REQ, a -> request.httpVersion());
    fn("kong.request.get_method", REQ, a -> request.method());
    fn("kong.request.get_path", REQ, a -> Paths.normalize(request.rawPath()));
    fn("kong.request.get_raw_path", REQ, a -> request.rawPath());
    fn("kong.request.get_path_with_query", REQ, a -> Paths.normalize(request.rawPath())
        + (request.rawQuery().isEmpty() ? "" : "?" + request.rawQuery()));
    fn("kong.request.get_raw_query", REQ, a -> request.rawQuery());
    fn("kong.request.get_query_arg", REQ, a -> {
      List<Object> values = FormArgs.parse(request.rawQuery(), 100).get(a.string(0, "name"));
      return values == null ? null : values.get(0);
    });
    fn("kong.request.get_query", REQ, a -> FormArgs.parse(request.rawQuery(), limit("max_args", a.optLong(0))));
    fn("kong.request.get_header", REQ_SAVED, a -> request.headers().first(headerGetName(a.string(0, "header name"))).orElse(null));
    fn("kong.request.get_headers", REQ_SAVED, a -> headerMultimap(request.headers(), a.optLong(0)));
    fn("kong.request.get_raw_body", REQ, a -> request.body());
    fn("kong.request.get_body", REQ, a -> decodeBody(request.body(), request.headers(),
        a.opt(0) == null ? null : a.string(0, "mimetype"), a.optLong(1)));
    fn("kong.request.get_start_time", REQ_SAVED, a -> settings.startTimeMillis);
    fn("kong.request.get_uri_captures", REQ_SAVED, a -> {
      Map<String, Object> unnamed = new LinkedHashMap<>();
      List<String> captures = request.unnamedCaptures();
      for (int i = 0; i < captures.size(); i++) {
        unnamed.put(Integer.toString(i), captures.get(i)); // Kong sends a map keyed 0..n
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("unnamed", unnamed);
      result.put("named", new LinkedHashMap<>(request.namedCaptures()));
      return result;
    });
  }

  private void registerResponse() {
    fn("kong.response.get_status", R_READ, a -> (long) clientResponse().status());
    fn("kong.response.get_header", R_READ, a -> responseHeaders.first(headerGetName(a.string(0, "header name"))).orElse(null));
    fn("kong.response.get_headers", R_READ, a -> headerMultimap(responseHeaders, a.optLong(0)));
    fn("kong.response.get_source", R_READ, a -> clientResponse().source());
    fn("kong.response.set_status", R_WRITE, a -> {
      long status = a.number(0, "code").longValue();
      if (status < 100 || status > 599) {
        throw new LuaError(a.method, "code must be a number between 100 and 599");
      }
      responseStatus = (int) status; // the upstream's status replaces it when the request is proxied later
      return null;
    });
    fn("kong.response.set_header", R_WRITE, a -> {
      String name = a.string(0, "header name");
      List<String> values = headerValues(name, a.opt(1));
      if (isTransferEncoding(name)) {
        warnTransferEncoding();
      } else {
        setResponseHeader(name, values);
      }
      return null;
    });
    fn("kong.response.add_header", R_WRITE, a -> {
      String name = a.string(0, "header name");
      List<String> values = new ArrayList<>(responseHeaders.all(name));
      values.addAll(headerValues(name, a.opt(1)));
      setResponseHeader(name, values);
      return null;
    });
    fn("kong.response.clear_header", R_WRITE, a -> {
      setResponseHeader(a.string(0, "header name"), List.of());
      return null;
    });
    fn("kong.response.set_headers", R_WRITE, a -> {
      a.table(0, "headers").forEach((name, value) -> {
        List<String> values = headerValues(name, value);
        if (isTransferEncoding(name)) {
          warnTransferEncoding();
        } else {
          setResponseHeader(name, values);
        }
      });
      return null;
    });
    fn("kong.response.get_raw_body", BODY_FILTER_ONLY, a -> null);
    fn("kong.response.set_raw_body", BODY_FILTER_ONLY, a -> null);
    fn("kong.response.exit", EXIT, a -> {
      long status = a.number(0, "code").longValue();
      if (status < 100 || status > 599) {
        throw new LuaError(a.method, "code must be a number between 100 and 599");
      }
      Object body = a.opt(1);
      if (body != null && !(body instanceof String || body instanceof byte[] || body instanceof Map || body instanceof List)) {
        throw new LuaError(a.method, "body must be a nil, string or table");
      }
      exit(status, body, a.opt(2) == null ? Map.of() : a.table(2, "headers"));
      return null;
    });
    fn("kong.response.error", R_WRITE, a -> {
      long status = a.number(0, "code").longValue();
      if (status < 400 || status > 599) {
        throw new LuaError(a.method, "code must be a number between 400 and 599");
      }
      Object message = a.opt(1);
      if (message != null && !(message instanceof String || message instanceof byte[] || message instanceof Map || message instanceof List)) {
        throw new LuaError(a.method, "message must be a nil, a string or a table");
      }
      String text = message == null ? ErrorPages.defaultMessage(status)
          : message instanceof Map<?, ?> || message instanceof List<?> ? Json.encode(message) : WireValues.luaText(message);
      Map<String, Object> headers = new LinkedHashMap<>(a.opt(2) == null ? Map.of() : a.table(2, "headers"));
      String[] typeAndBody = errorBody(text, headers);
      headers.keySet().removeIf(k -> k.equalsIgnoreCase("content-type"));
      headers.put("Content-Type", typeAndBody[0]);
      exit(status, typeAndBody[1], headers);
      return null;
    });
    fn("kong.service.response.get_status", ONLY_RESPONSE, a -> upstreamResponse == null ? null : (long) upstreamResponse.statusCode());
    // Kong 3.9.3 and 2.8.5 answer an empty table here in the response phase although the upstream
    // sent headers (recorded traces, fact 11); get_header still reads them.
    fn("kong.service.response.get_headers", ONLY_RESPONSE, a -> {
      limit("max_headers", a.optLong(0));
      return Map.of();
    });
    fn("kong.service.response.get_header", ONLY_RESPONSE, a -> upstreamResponse == null ? null
        : upstreamResponse.headers().first(a.string(0, "header name")).orElse(null));
    fn("kong.service.response.get_raw_body", ONLY_RESPONSE, a -> upstreamResponse == null ? null : upstreamResponse.bodyBytes());
    fn("kong.service.response.get_body", ONLY_RESPONSE, a -> upstreamResponse == null ? null
        : decodeBody(upstreamResponse.bodyBytes(), upstreamResponse.headers(), a.opt(0) == null ? null : a.string(0, "mimetype"), a.optLong(1)));
  }

  private void registerService() {
    fn("kong.service.set_upstream", ONLY_ACCESS, a -> {
      String host = a.string(0, "host");
      if (!settings.upstreams.contains(host)) {
        return null; // nil, "could not find an Upstream named '...'" (the error is dropped by Kong 3.x)
      }
      upstreamName = host;
      return true;
    });
    fn("kong.service.set_target", TGT, a -> {
      String host = a.string(0, "host");
      long port = a.number(1, "port").longValue();
      if (port < 0 || port > 65535) {
        throw new LuaError(a.method, "port must be an integer between 0 and 65535: given " + port);
      }
      upHost = host;
      upPort = (int) port;
      return null;
    });
    fn("kong.service.set_retries", ONLY_ACCESS, a -> {
      long n = a.number(0, "retries").longValue();
      if (n < 0 || n > 32767) {
        throw new LuaError(a.method, "retries must be an integer between 0 and 32767: given " + n);
      }
      retries = (int) n;
      return null;
    });
    fn("kong.service.set_timeouts", ONLY_ACCESS, a -> {
      long[] t = new long[3];
      String[] names = {"connect_timeout", "write_timeout", "read_timeout"};
      for (int i = 0; i < 3; i++) {
        t[i] = a.number(i, names[i]).longValue();
        if (t[i] < 1 || t[i] > 2147483646L) {
          throw new LuaError(a.method, names[i] + " must be an integer between 1 and 2147483646: given " + t[i]);
        }
      }
      timeouts = new UpstreamRequest.Timeouts(t[0], t[1], t[2]);
      return null;
    });
    fn("kong.service.set_tls_verify", TGT, a -> true);
    fn("kong.service.set_tls_verify_depth", TGT, a -> true);
    fn("kong.service.request.enable_buffering", RA, a -> null);
    fn("kong.service.request.set_scheme", RA, a -> {
      String scheme = a.string(0, "scheme");
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new LuaError(a.method, "invalid scheme: " + scheme);
      }
      upScheme = scheme;
      return null;
    });
    fn("kong.service.request.set_path", RA, a -> {
      String path = a.string(0, "path");
      if (!path.startsWith("/")) {
        throw new LuaError(a.method, "path must start with /");
      }
      upPath = path;
      return null;
    });
    fn("kong.service.request.set_raw_query", RA, a -> {
      upQuery = a.string(0, "query");
      return null;
    });
    fn("kong.service.request.set_method", RA, a -> {
      String method = a.string(0, "method");
      if (!METHODS.contains(method)) {
        throw new LuaError(a.method, "invalid method: " + method);
      }
      upMethod = method;
      return null;
    });
    fn("kong.service.request.set_query", RA, a -> {
      upQuery = FormArgs.encode(a.table(0, "args"));
      return null;
    });
    fn("kong.service.request.clear_query_arg", RA, a -> {
      String name = a.string(0, "name");
      Map<String, Object> args = new LinkedHashMap<>();
      FormArgs.parse(upQuery, 1000).forEach((k, v) -> {
        if (!k.equals(name)) {
          args.put(k, v);
        }
      });
      upQuery = FormArgs.encode(args);
      return null;
    });
    fn("kong.service.request.set_header", RA, a -> {
      String name = a.string(0, "header name");
      upHeaders = upHeaders.replacing(name, List.of(headerValue(name, a.opt(1))));
      return null;
    });
    fn("kong.service.request.add_header", RA, a -> {
      String name = a.string(0, "header name");
      for (String v : headerValues(name, a.opt(1))) {
        upHeaders = upHeaders.with(name, v);
      }
      return null;
    });
    fn("kong.service.request.clear_header", RA, a -> {
      upHeaders = upHeaders.without(a.string(0, "header name"));
      return null;
    });
    fn("kong.service.request.set_headers", RA, a -> {
      a.table(0, "headers").forEach((name, value) -> upHeaders = upHeaders.replacing(name, headerValues(name, value)));
      return null;
    });
    fn("kong.service.request.set_raw_body", RA, a -> {
      Object body = a.opt(0);
      if (body instanceof String s) {
        upBody = s.getBytes(StandardCharsets.UTF_8);
      } else if (body instanceof byte[] b) {
        upBody = b.clone();
      } else {
        throw new LuaError(a.method, "body must be a string");
      }
      upHeaders = upHeaders.replacing("content-length", List.of(Integer.toString(upBody.length)));
      return null;
    });
    fn("kong.service.request.set_body", RA, a -> {
      Map<String, Object> args = a.table(0, "args");
      String type = a.opt(1) != null ? a.string(1, "mimetype") : upHeaders.first("content-type").orElse(null);
      if (type == null) {
        return null; // nil, "content type was neither explicitly provided nor received"
      }
      String lower = type.toLowerCase(Locale.ROOT);
      if (lower.contains("json")) {
        upBody = Json.encode(args).getBytes(StandardCharsets.UTF_8);
      } else if (lower.contains("application/x-www-form-urlencoded")) {
        upBody = FormArgs.encode(args).getBytes(StandardCharsets.UTF_8);
      } else {
        return null; // multipart and other types are not simulated: nil, as on an unsupported type
      }
      upHeaders = upHeaders.replacing("content-type", List.of(type))
          .replacing("content-length", List.of(Integer.toString(upBody.length)));
      return true;
    });
    fn("kong.service.request.disable_tls", ONLY_PREREAD, a -> true);
    fn("kong.service.request.enable_tls", ONLY_PREREAD, a -> true);
  }

  private record Fn(Set<Phase> phases, Function<Args, Object> handler) {}

  /** The positional arguments of one call, read with Lua-style argument errors. */
  private static final class Args {
    final String method;
    final List<Object> values;

    Args(String method, List<Object> values) {
      this.method = method;
      this.values = values;
    }

    Object opt(int i) {
      return i < values.size() ? values.get(i) : null;
    }

    String string(int i, String what) {
      Object v = opt(i);
      if (v instanceof String s) {
        return s;
      }
      if (v instanceof byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
      }
      throw new LuaError(method, what + " must be a string, got " + luaType(v));
    }

    Number number(int i, String what) {
      Object v = opt(i);
      if (v instanceof Long || v instanceof Double) {
        return (Number) v;
      }
      throw new LuaError(method, what + " must be a number, got " + luaType(v));
    }

    Long optLong(int i) {
      return opt(i) == null ? null : number(i, "argument #" + (i + 1)).longValue();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> table(int i, String what) {
      Object v = opt(i);
      if (v instanceof Map<?, ?> m) {
        return (Map<String, Object>) m;
      }
      if (v instanceof List<?> l && l.isEmpty()) {
        return Map.of();
      }
      throw new LuaError(method, what + " must be a table, got " + luaType(v));
    }
  }

  /** The simulated gateway's settings: request, upstream, entities, trust, node and strictness. */
  public static final class Builder {
    private final TestRequest request;
    private Upstream upstream = UpstreamResponse.echo();
    private Map<String, Object> route = Entities.defaultRoute();
    private Map<String, Object> service = Entities.defaultService();
    private Map<String, Object> consumer;
    private Map<String, Object> credential;
    private final List<Map<String, Object>> consumers = new ArrayList<>();
    private final Set<String> trustedIps = new LinkedHashSet<>();
    private final Map<String, String> nginxVars = new HashMap<>();
    private final Set<String> upstreams = new LinkedHashSet<>();
    private final Map<String, String> secrets = new HashMap<>();
    private final Map<String, Object> ctxShared = new LinkedHashMap<>();
    private String nodeId = "00000000-0000-4000-8000-00000000000a";
    private String clusterId = "00000000-0000-4000-8000-00000000000c";
    private String workspaceId = Entities.WORKSPACE_ID;
    private String hostname = "fake-kong";
    private String requestId = "0123456789abcdef0123456789abcdef";
    private String clientCertificate;
    private long startTimeMillis = 1_700_000_000_000L;
    private boolean strict = true;

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
