package dev.kongpdk.conformance;

import static dev.kongpdk.conformance.Case.Check.effect;
import static dev.kongpdk.conformance.Case.Check.error;
import static dev.kongpdk.conformance.Case.Check.traced;
import static dev.kongpdk.conformance.Case.Check.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kongpdk.Kong;
import dev.kongpdk.Log;
import dev.kongpdk.LuaFunction;
import dev.kongpdk.entity.Consumer;
import dev.kongpdk.entity.Credential;
import dev.kongpdk.plugin.KongVersion;
import dev.kongpdk.plugin.Phase;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The suite's rows: every typed method of the PDK, called in every phase its {@link LuaFunction}
 * annotation allows (the phases come from the annotation, not from this file). Methods allowed
 * only in phases the harness cannot run (certificate, preread) get a row that says so.
 */
public final class Cases {

  /** The phases the harness runs an external plugin in (plain HTTP, a global plugin). */
  public static final Set<Phase> RUNNABLE = EnumSet.of(Phase.REWRITE, Phase.ACCESS, Phase.RESPONSE, Phase.LOG);

  private static final String CONSUMER_ID = "00000000-0000-4000-8000-0000000000c1";
  private static final String MISSING_ID = "00000000-0000-4000-8000-0000000000d1";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Why access-phase query changes cannot be seen through the harness. */
  private static final String HARNESS_QUERY = "the upstream's view is not checked in access: the harness puts the"
      + " query into the upstream URI when it routes, where Kong 3.9.3 appends the query after access";

  private Cases() {}

  /** Returns every row, in a stable order. */
  public static List<Case> all() {
    Builder b = new Builder();
    client(b);
    misc(b);
    log(b);
    nginx(b);
    request(b);
    response(b);
    service(b);
    return List.copyOf(b.cases);
  }

  /** Returns every row by id. */
  public static Map<String, Case> byId() {
    Map<String, Case> out = new LinkedHashMap<>();
    for (Case c : all()) {
      if (out.put(c.id(), c) != null) {
        throw new IllegalStateException("two rows named " + c.id());
      }
    }
    return out;
  }

  /** Returns the {@link LuaFunction}-annotated method a row label names. */
  public static Method resolve(String label) {
    int open = label.lastIndexOf('(');
    String[] chain = label.substring(0, open).split("\\.");
    Class<?> type = Kong.class;
    try {
      for (int i = 0; i < chain.length - 1; i++) {
        type = type.getMethod(chain[i].replace("()", "")).getReturnType();
      }
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("no module accessor in " + label, e);
    }
    String name = chain[chain.length - 1];
    String params = label.substring(open + 1, label.length() - 1);
    for (Method m : type.getMethods()) {
      if (m.getName().equals(name) && params(m).equals(params)) {
        return m;
      }
    }
    throw new IllegalArgumentException("no method " + label + " in " + type.getSimpleName());
  }

  /** The parameter list as rows write it: simple raw type names, {@code Object...} for varargs. */
  public static String params(Method m) {
    List<String> names = new ArrayList<>();
    Class<?>[] types = m.getParameterTypes();
    for (int i = 0; i < types.length; i++) {
      boolean varargs = m.isVarArgs() && i == types.length - 1;
      names.add(varargs ? types[i].getComponentType().getSimpleName() + "..." : types[i].getSimpleName());
    }
    return String.join(", ", names);
  }

  // ---------------------------------------------------------------------------------------------

  private static void client(Builder b) {
    b.add("client().getIp()", Request.GET, (k, s) -> k.client().getIp(), traced());
    b.add("client().getForwardedIp()", Request.GET, (k, s) -> k.client().getForwardedIp(), traced());
    b.add("client().getPort()", Request.GET, (k, s) -> k.client().getPort(), traced());
    b.add("client().getForwardedPort()", Request.GET, (k, s) -> k.client().getForwardedPort(), traced());
    b.add("client().getCredential()", Request.GET, (k, s) -> k.client().getCredential(), traced());
    b.add("client().getConsumer()", Request.GET, (k, s) -> k.client().getConsumer(), traced());
    b.add("client().loadConsumer(String)", Request.GET, (k, s) -> k.client().loadConsumer(MISSING_ID),
        traced().andValue(null));
    b.add("client().loadConsumer(String, boolean)", Request.GET,
        (k, s) -> k.client().loadConsumer("nobody", true), traced().andValue(null));
    b.add("client().getProtocol()", Request.GET, (k, s) -> k.client().getProtocol(), traced().andValue("http"));
    b.add("client().getProtocol(boolean)", Request.GET, (k, s) -> k.client().getProtocol(true),
        traced().andValue("http"));
    b.add("client().authenticate(Consumer)", Request.GET, (k, s) -> {
      k.client().authenticate(Consumer.ofId(CONSUMER_ID));
      return k.client().getConsumer().map(Consumer::id);
    }, value(CONSUMER_ID));
    b.add("client().authenticate(Consumer, Credential)", Request.GET, (k, s) -> {
      k.client().authenticate(Consumer.ofId(CONSUMER_ID), Credential.of("cred-1", Optional.of(CONSUMER_ID)));
      return k.client().getCredential().map(Credential::id);
    }, value("cred-1"));
    b.add("client().tls().requestClientCertificate()", Request.GET,
        (k, s) -> {
          k.client().tls().requestClientCertificate();
          return null;
        }, value(null));
    b.add("client().tls().disableSessionReuse()", Request.GET,
        (k, s) -> {
          k.client().tls().disableSessionReuse();
          return null;
        }, value(null));
    b.add("client().tls().getFullClientCertificateChain()", Request.GET,
        (k, s) -> k.client().tls().getFullClientCertificateChain(), traced().andValue(null));
    b.add("client().tls().setClientVerify(String)", Request.GET,
        (k, s) -> {
          k.client().tls().setClientVerify("NONE");
          return null;
        }, value(null));
  }

  private static void misc(Builder b) {
    b.add("cluster().getId()", Request.GET, (k, s) -> k.cluster().getId(), traced());
    b.add("ip().isTrusted(String)", Request.GET, (k, s) -> k.ip().isTrusted("127.0.0.1"), traced());
    b.add("node().getId()", Request.GET, (k, s) -> k.node().getId(), traced());
    b.add("node().getHostname()", Request.GET, (k, s) -> k.node().getHostname(), traced());
    b.add("node().getMemoryStats()", Request.GET, (k, s) -> k.node().getMemoryStats(), traced());
    b.add("plugin().getId()", Request.GET, (k, s) -> k.plugin().getId(), traced());
    b.add("router().getRoute()", Request.GET, (k, s) -> k.router().getRoute(), traced());
    b.add("router().getService()", Request.GET, (k, s) -> k.router().getService(), traced());
    b.add("telemetry().log(String, Map, String, String, Map)", Request.GET, (k, s) -> {
      k.telemetry().log("conformance-probe", Map.of(), "kong.conformance", "hello", Map.of());
      return null;
    }, error("kong.telemetry.log", "Kong's telemetry.log needs the OpenTelemetry plugin, which the harness lacks"));
    b.add("vault().isReference(String)", Request.GET, (k, s) -> k.vault().isReference("{vault://env/x}"),
        traced().andValue(true));
    b.add("vault().parseReference(String)", Request.GET, (k, s) -> k.vault().parseReference("{vault://env/x}"),
        traced());
    b.add("vault().get(String)", Request.GET, (k, s) -> k.vault().get("{vault://env/conformance-x}"),
        (p, v) -> v == KongVersion.KONG_2 ? Case.Check.skip("Kong 2.8's vault code does not run on the harness's"
            + " stand-in database (Kong raises)") : traced());
    b.add("vault().update(Map)", Request.GET, (k, s) -> k.vault().update(Map.of("a", "b")), traced());
    b.add("vault().flush()", Request.GET, (k, s) -> {
      k.vault().flush();
      return null;
    }, Case.Check.skip("the harness has no kong.timer, which kong.vault.flush needs (Kong raises, and a raise"
        + " in the log phase leaves stale data behind for later rows)"));
    b.add("ctx().shared().get(String)", Request.GET, (k, s) -> {
      k.ctx().shared().set("conformance", "v");
      return k.ctx().shared().get("conformance");
    }, traced().andValue("v"));
    b.add("ctx().shared().getString(String)", Request.GET, (k, s) -> {
      k.ctx().shared().set("conformance", "v");
      return k.ctx().shared().getString("conformance");
    }, traced().andValue("v"));
    b.add("ctx().shared().getLong(String)", Request.GET, (k, s) -> {
      k.ctx().shared().set("conformance", 7L);
      return k.ctx().shared().getLong("conformance");
    }, traced().andValue(7L));
    b.add("ctx().shared().getDouble(String)", Request.GET, (k, s) -> {
      k.ctx().shared().set("conformance", 1.5);
      return k.ctx().shared().getDouble("conformance");
    }, traced().andValue(1.5));
    b.add("ctx().shared().getBoolean(String)", Request.GET, (k, s) -> {
      k.ctx().shared().set("conformance", true);
      return k.ctx().shared().getBoolean("conformance");
    }, traced().andValue(true));
    b.add("ctx().shared().set(String, Object)", Request.GET, (k, s) -> {
      k.ctx().shared().set("conformance", Map.of("a", List.of("b")));
      return k.ctx().shared().get("conformance");
    }, value(Map.of("a", List.of("b"))));
  }

  private static void log(Builder b) {
    for (String level : List.of("emerg", "alert", "crit", "err", "warn", "notice")) {
      b.add("log()." + level + "(Object...)", Request.GET, (k, s) -> {
        logAt(k.log(), level, "conformance mark " + level);
        return null;
      }, p -> value(null).andEffect(inLog("conformance mark " + level)));
    }
    for (String level : List.of("info", "debug", "deprecation", "inspect")) {
      b.add("log()." + level + "(Object...)", Request.GET, (k, s) -> {
        logAt(k.log(), level, "conformance mark " + level);
        return null;
      }, value(null));
    }
    b.add("log().inspectOn()", Request.GET, (k, s) -> {
      k.log().inspectOn();
      return null;
    }, value(null));
    b.add("log().inspectOff()", Request.GET, (k, s) -> {
      k.log().inspectOff();
      return null;
    }, value(null));
    b.add("log().setFormat(String)", Request.GET, (k, s) -> {
      k.log().setFormat("%namespace| %message");
      return null;
    }, value(null));
    b.add("log().setSerializeValue(String, Object)", Request.GET, (k, s) -> {
      k.log().setSerializeValue("conformance", "v");
      return null;
    }, value(null));
    b.add("log().setSerializeValue(String, Object, SerializeMode)", Request.GET, (k, s) -> {
      k.log().setSerializeValue("conformance", "v", Log.SerializeMode.ADD);
      return null;
    }, value(null));
    b.add("log().serialize()", Request.GET, (k, s) -> k.log().serialize(),
        value((ValueTest) v -> jsonWith(v, "request")));
  }

  private static void logAt(Log log, String level, String text) {
    switch (level) {
      case "emerg" -> log.emerg(text);
      case "alert" -> log.alert(text);
      case "crit" -> log.crit(text);
      case "err" -> log.err(text);
      case "warn" -> log.warn(text);
      case "notice" -> log.notice(text);
      case "info" -> log.info(text);
      case "debug" -> log.debug(text);
      case "deprecation" -> log.deprecation(text);
      case "inspect" -> log.inspect(text);
      default -> throw new IllegalArgumentException(level);
    }
  }

  private static void nginx(Builder b) {
    b.add("nginx().getSubsystem()", Request.GET, (k, s) -> k.nginx().getSubsystem(), traced().andValue("http"));
    b.add("nginx().getStatistics()", Request.GET, (k, s) -> k.nginx().getStatistics(), traced());
    b.add("nginx().getVar(String)", Request.GET, (k, s) -> k.nginx().getVar("request_uri"),
        traced().andValue("/c" + Request.GET.path()));
    b.add("nginx().getTls1VersionStr()", Request.GET, (k, s) -> k.nginx().getTls1VersionStr(), traced());
    b.add("nginx().reqStartTime()", Request.GET, (k, s) -> k.nginx().reqStartTime(), traced());
    b.add("nginx().getCtx(String)", Request.GET, (k, s) -> {
      k.nginx().setCtx("conformance", "v");
      return k.nginx().getCtx("conformance");
    }, traced().andValue("v"));
    b.add("nginx().getCtxString(String)", Request.GET, (k, s) -> {
      k.nginx().setCtx("conformance", "v");
      return k.nginx().getCtxString("conformance");
    }, traced().andValue("v"));
    b.add("nginx().getCtxLong(String)", Request.GET, (k, s) -> {
      k.nginx().setCtx("conformance", 7L);
      return k.nginx().getCtxLong("conformance");
    }, traced().andValue(7L));
    b.add("nginx().getCtxDouble(String)", Request.GET, (k, s) -> {
      k.nginx().setCtx("conformance", 1.5);
      return k.nginx().getCtxDouble("conformance");
    }, traced().andValue(1.5));
    b.add("nginx().setCtx(String, Object)", Request.GET, (k, s) -> {
      k.nginx().setCtx("conformance", List.of("a", "b"));
      return k.nginx().getCtx("conformance");
    }, value(List.of("a", "b")));
  }

  private static void request(Builder b) {
    Request get = Request.GET;
    b.add("request().getScheme()", get, (k, s) -> k.request().getScheme(), traced().andValue("http"));
    b.add("request().getHost()", get, (k, s) -> k.request().getHost(), traced().andValue("127.0.0.1"));
    b.add("request().getPort()", get, (k, s) -> k.request().getPort(), traced());
    b.add("request().getForwardedScheme()", get, (k, s) -> k.request().getForwardedScheme(), traced());
    b.add("request().getForwardedHost()", get, (k, s) -> k.request().getForwardedHost(), traced());
    b.add("request().getForwardedPort()", get, (k, s) -> k.request().getForwardedPort(), traced());
    b.add("request().getForwardedPath()", get, (k, s) -> k.request().getForwardedPath(), traced());
    b.add("request().getForwardedPrefix()", get, (k, s) -> k.request().getForwardedPrefix(), traced());
    b.add("request().getHttpVersion()", get, (k, s) -> k.request().getHttpVersion(), traced().andValue(1.1));
    b.add("request().getMethod()", get, (k, s) -> k.request().getMethod(), traced().andValue("GET"));
    b.add("request().getPath()", get, (k, s) -> k.request().getPath(), traced().andValue("/c/p/q"));
    b.add("request().getRawPath()", get, (k, s) -> k.request().getRawPath(), traced().andValue("/c/p/q"));
    b.add("request().getPathWithQuery()", get, (k, s) -> k.request().getPathWithQuery(),
        traced().andValue("/c" + get.path()));
    b.add("request().getRawQuery()", get, (k, s) -> k.request().getRawQuery(), traced().andValue(Request.QUERY));
    b.add("request().getQueryArg(String)", get, (k, s) -> k.request().getQueryArg("a"), traced().andValue("1"));
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("a", List.of("1", "2"));
    query.put("flag", List.of());
    query.put("empty", List.of(""));
    b.add("request().getQuery()", get, (k, s) -> k.request().getQuery(), value(query));
    b.add("request().getQuery(int)", get, (k, s) -> k.request().getQuery(2), value(Map.of("a", List.of("1", "2"))));
    b.add("request().getHeader(String)", get, (k, s) -> k.request().getHeader("x-multi"), traced().andValue("one"));
    b.add("request().getHeaders()", get, (k, s) -> k.request().getHeaders(),
        traced().andValue((ValueTest) v -> hasEntry(v, "x-multi", List.of("one", "two"))));
    b.add("request().getHeaders(int)", get, (k, s) -> k.request().getHeaders(100),
        traced().andValue((ValueTest) v -> hasEntry(v, "x-single", List.of("s"))));
    b.add("request().getRawBody()", Request.BINARY, (k, s) -> k.request().getRawBody(),
        value(Canonical.bytes(Request.BINARY_BODY)));
    b.add("request().getRawBody(long)", Request.BINARY, (k, s) -> k.request().getRawBody(1 << 20),
        value(Canonical.bytes(Request.BINARY_BODY)));
    Map<String, Object> json = Map.of("k", "v", "n", 1L, "arr", List.of(1L, 2L));
    b.add("request().getBody()", Request.JSON, (k, s) -> k.request().getBody(), traced().andValue(json));
    b.add("request().getBody(String)", Request.JSON, (k, s) -> k.request().getBody("application/json"),
        traced().andValue(json));
    Map<String, Object> form = Map.of("a", List.of("1", "2"), "b", "x");
    b.add("request().getBody(String, int)", Request.FORM,
        (k, s) -> k.request().getBody("application/x-www-form-urlencoded", 10), traced().andValue(form));
    b.add("request().getBody(String, int, long)", Request.FORM,
        (k, s) -> k.request().getBody("application/x-www-form-urlencoded", 10, 1 << 20), traced().andValue(form));
    b.add("request().getStartTime()", get, (k, s) -> k.request().getStartTime(), traced());
    b.add("request().getUriCaptures()", get, (k, s) -> k.request().getUriCaptures(),
        p -> p == Phase.REWRITE ? traced(Cases::capturesView).andValue(Map.of("unnamed", List.of(), "named", Map.of()))
            // cjson shows the unnamed captures (keys from 0) as [] in the trace; MessagePack sends them
            : value(Map.of("unnamed", List.of("/c/p/q"), "named", Map.of()))
                .withNote("the router's captures: the whole path as capture 0"));
  }

  private static void response(Builder b) {
    Request get = Request.GET;
    b.add("response().getStatus()", get, (k, s) -> k.response().getStatus(), traced().andValue(200L));
    b.add("response().getHeader(String)", get, (k, s) -> k.response().getHeader("x-echo-upstream"),
        traced().andValue("1"));
    b.add("response().getHeaders()", get, (k, s) -> k.response().getHeaders(),
        traced().andValue((ValueTest) v -> hasEntry(v, "x-echo-upstream", List.of("1"))));
    b.add("response().getHeaders(int)", get, (k, s) -> k.response().getHeaders(100),
        traced().andValue((ValueTest) v -> hasEntry(v, "x-echo-upstream", List.of("1"))));
    b.add("response().getSource()", get, (k, s) -> k.response().getSource(), traced().andValue("service"));
    b.add("response().setStatus(int)", get, (k, s) -> {
      k.response().setStatus(203);
      return null;
    }, p -> p == Phase.RESPONSE
        ? effect(o -> o.status() == 203 ? null : "client got status " + o.status() + ", not 203")
        : effect(o -> o.status() == 200 ? null : "client got status " + o.status() + ", not the upstream's 200")
            .withNote("the upstream's status replaces a status set before proxying"));
    b.add("response().setHeader(String, String)", get, (k, s) -> {
      k.response().setHeader("x-c", "v");
      return null;
    }, effect(clientHeader("x-c", List.of("v"))));
    b.add("response().setHeader(String, List)", get, (k, s) -> {
      k.response().setHeader("x-c", List.of("v1", "v2"));
      return null;
    }, effect(clientHeader("x-c", List.of("v1", "v2"))));
    b.add("response().addHeader(String, String)", get, (k, s) -> {
      k.response().setHeader("x-c", "v1");
      k.response().addHeader("x-c", "v2");
      return null;
    }, effect(clientHeader("x-c", List.of("v1", "v2"))));
    b.add("response().clearHeader(String)", get, (k, s) -> {
      k.response().setHeader("x-c", "v");
      k.response().clearHeader("x-c");
      return null;
    }, effect(clientHeader("x-c", List.of())));
    b.add("response().setHeaders(Map)", get, (k, s) -> {
      k.response().setHeaders(Map.of("x-c", List.of("v1", "v2"), "x-d", List.of("w")));
      return null;
    }, effect(both(clientHeader("x-c", List.of("v1", "v2")), clientHeader("x-d", List.of("w")))));
    b.add("response().exit(int)", get, (k, s) -> {
      k.response().exit(418);
      return null;
    }, effect(o -> o.status() == 418 ? null : "client got " + o.status()));
    b.add("response().exit(int, String)", get, (k, s) -> {
      k.response().exit(418, "bye");
      return null;
    }, effect(o -> o.status() == 418 && o.text().equals("bye") ? null
        : "client got " + o.status() + " " + o.text()));
    b.add("response().exit(int, Object, Map)", get, (k, s) -> {
      k.response().exit(418, Map.of("m", "bye"), Map.of("x-c", "v"));
      return null;
    }, effect(both(o -> o.status() == 418 && o.text().replace(" ", "").equals("{\"m\":\"bye\"}") ? null
        : "client got " + o.status() + " " + o.text(), clientHeader("x-c", List.of("v")))));
    b.add("response().error(int)", get, (k, s) -> {
      k.response().error(403);
      return null;
    }, effect(o -> o.status() == 403 && o.text().contains("message") ? null
        : "client got " + o.status() + " " + o.text()));
    b.add("response().error(int, String)", get, (k, s) -> {
      k.response().error(403, "go away");
      return null;
    }, effect(o -> o.status() == 403 && o.text().contains("go away") ? null
        : "client got " + o.status() + " " + o.text()));
    b.add("response().error(int, String, Map)", get, (k, s) -> {
      k.response().error(403, "go away", Map.of("x-c", "v"));
      return null;
    }, effect(both(o -> o.status() == 403 && o.text().contains("go away") ? null
        : "client got " + o.status() + " " + o.text(), clientHeader("x-c", List.of("v")))));
  }

  private static void service(Builder b) {
    Request get = Request.GET;
    b.add("service().setUpstream(String)", get, (k, s) -> {
      k.service().setUpstream("no-such-upstream");
      return null;
    }, error("kong.service.set_upstream", "the harness has no upstream entities"));
    b.add("service().setTarget(String, int)", get, (k, s) -> {
      k.service().setTarget("127.0.0.1", s.closedPort());
      return null;
    }, effect(o -> o.status() >= 500 && o.upstream() == null ? null
        : "client got " + o.status() + " from " + (o.upstream() == null ? "Kong" : "the echo upstream")));
    b.add("service().setRetries(int)", get, (k, s) -> {
      k.service().setRetries(3);
      return null;
    }, value(null));
    b.add("service().setTimeouts(int, int, int)", get, (k, s) -> {
      k.service().setTimeouts(5000, 5000, 5000);
      return null;
    }, value(null));
    String noTls = "the harness's nginx lacks Kong's TLS patches: Kong answers nil, err";
    b.add("service().setTlsVerify(boolean)", get, (k, s) -> {
      k.service().setTlsVerify(true);
      return null;
    }, error("kong.service.set_tls_verify", noTls));
    b.add("service().setTlsVerifyDepth(int)", get, (k, s) -> {
      k.service().setTlsVerifyDepth(2);
      return null;
    }, error("kong.service.set_tls_verify_depth", noTls));

    String sr = "service().request().";
    b.add(sr + "enableBuffering()", get, (k, s) -> {
      k.service().request().enableBuffering();
      return null;
    }, value(null).andEffect(fromUpstream()));
    b.add(sr + "setScheme(String)", get, (k, s) -> {
      k.service().request().setScheme("http");
      return null;
    }, value(null).andEffect(fromUpstream()));
    b.add(sr + "setPath(String)", get, (k, s) -> {
      k.service().request().setPath("/set");
      return null;
    }, p -> p == Phase.REWRITE
        ? effect(upstreamUri(Request.GET.path())).withNote("lost: Kong's router sets the upstream path after rewrite")
        : effect(upstreamUri("/set")).withNote(HARNESS_QUERY));
    b.add(sr + "setRawQuery(String)", get, (k, s) -> {
      k.service().request().setRawQuery("z=1&z=2");
      return null;
    }, p -> p == Phase.REWRITE ? effect(upstreamUri("/p/q?z=1&z=2"))
        : value(null).withNote(HARNESS_QUERY));
    b.add(sr + "setMethod(String)", get, (k, s) -> {
      k.service().request().setMethod("PUT");
      return null;
    }, effect(o -> o.upstream() != null && "PUT".equals(o.upstream().path("method").asText()) ? null
        : "upstream saw " + (o.upstream() == null ? "nothing" : o.upstream().path("method").asText())));
    b.add(sr + "setQuery(Map)", get, (k, s) -> {
      k.service().request().setQuery(Map.of("z", List.of("1", "2")));
      return null;
    }, p -> p == Phase.REWRITE ? effect(upstreamUri("/p/q?z=1&z=2"))
        : value(null).withNote(HARNESS_QUERY));
    b.add(sr + "clearQueryArg(String)", get, (k, s) -> {
      k.service().request().clearQueryArg("a");
      return null;
    }, p -> p == Phase.REWRITE
        ? effect(o -> o.upstreamUri() != null && o.upstreamUri().startsWith("/p/q?") && !o.upstreamUri().contains("a=")
            ? null : "upstream saw " + o.upstreamUri())
        : value(null).withNote(HARNESS_QUERY));
    b.add(sr + "setHeader(String, String)", get, (k, s) -> {
      k.service().request().setHeader("x-c", "v");
      return null;
    }, effect(upstreamHeader("x-c", "\"v\"")));
    b.add(sr + "setHeader(String, List)", get, (k, s) -> {
      k.service().request().setHeader("x-c", List.of("v1", "v2"));
      return null;
    }, effect(upstreamHeader("x-c", "[\"v1\",\"v2\"]")));
    b.add(sr + "addHeader(String, String)", get, (k, s) -> {
      k.service().request().addHeader("x-single", "t");
      return null;
    }, effect(upstreamHeader("x-single", "[\"s\",\"t\"]")));
    b.add(sr + "clearHeader(String)", get, (k, s) -> {
      k.service().request().clearHeader("x-single");
      return null;
    }, effect(upstreamHeader("x-single", null)));
    b.add(sr + "setHeaders(Map)", get, (k, s) -> {
      k.service().request().setHeaders(Map.of("x-c", List.of("v1", "v2"), "x-single", List.of("w")));
      return null;
    }, effect(both(upstreamHeader("x-c", "[\"v1\",\"v2\"]"), upstreamHeader("x-single", "\"w\""))));
    b.add(sr + "setRawBody(String)", Request.JSON, (k, s) -> {
      k.service().request().setRawBody("abc");
      return null;
    }, effect(upstreamHeader("content-length", "\"3\"")));
    b.add(sr + "setRawBody(byte[])", Request.JSON, (k, s) -> {
      k.service().request().setRawBody(Request.BINARY_BODY);
      return null;
    }, effect(upstreamHeader("content-length", "\"" + Request.BINARY_BODY.length + "\"")));
    b.add(sr + "setBody(Map)", Request.JSON, (k, s) -> {
      k.service().request().setBody(Map.of("x", "1"));
      return null;
    }, effect(upstreamHeader("content-length", "\"9\"")));
    b.add(sr + "setBody(Map, String)", Request.JSON, (k, s) -> {
      k.service().request().setBody(Map.of("x", "1"), "application/x-www-form-urlencoded");
      return null;
    }, effect(both(upstreamHeader("content-length", "\"3\""),
        upstreamHeader("content-type", "\"application/x-www-form-urlencoded\""))));
    b.add(sr + "enableTls()", get, (k, s) -> {
      k.service().request().enableTls();
      return null;
    }, value(null));
    b.add(sr + "disableTls()", get, (k, s) -> {
      k.service().request().disableTls();
      return null;
    }, value(null));

    String rs = "service().response().";
    b.add(rs + "getStatus()", get, (k, s) -> k.service().response().getStatus(), traced().andValue(200L));
    b.add(rs + "getHeader(String)", get, (k, s) -> k.service().response().getHeader("x-echo-upstream"),
        traced().andValue("1"));
    String noHeaders = "Kong answers {} although the upstream sent headers (its get_headers in a buffered response)";
    b.add(rs + "getHeaders()", get, (k, s) -> k.service().response().getHeaders(),
        traced().andValue(Map.of()).withNote(noHeaders));
    b.add(rs + "getHeaders(int)", get, (k, s) -> k.service().response().getHeaders(100),
        traced().andValue(Map.of()).withNote(noHeaders));
    b.add(rs + "getRawBody()", get, (k, s) -> k.service().response().getRawBody(),
        value((ValueTest) v -> echoBytes(v)));
    b.add(rs + "getBody()", get, (k, s) -> k.service().response().getBody(), traced());
    b.add(rs + "getBody(String)", get, (k, s) -> k.service().response().getBody("application/json"), traced());
    b.add(rs + "getBody(String, int)", get, (k, s) -> k.service().response().getBody("application/json", 10),
        traced());
  }

  // ---------------------------------------------------------------------------------------------

  /** Kong's captures table arrives with {@code unnamed} keyed from 0; Java lists it in order. */
  static Object capturesView(Object lua) {
    if (!(lua instanceof Map<?, ?> map)) {
      return lua;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    Object unnamed = map.get("unnamed");
    if (unnamed instanceof Map<?, ?> byIndex) {
      List<Object> list = new ArrayList<>();
      for (int i = 0; byIndex.containsKey(String.valueOf(i)); i++) {
        list.add(byIndex.get(String.valueOf(i)));
      }
      out.put("unnamed", list);
    } else {
      out.put("unnamed", unnamed);
    }
    out.put("named", map.get("named"));
    return out;
  }

  private static String jsonWith(Object v, String field) {
    if (!(v instanceof String text)) {
      return "not a string: " + v;
    }
    try {
      JsonNode node = JSON.readTree(text);
      return node.has(field) ? null : "serialized log has no \"" + field + "\"";
    } catch (Exception e) {
      return "not JSON: " + e.getMessage();
    }
  }

  private static String hasEntry(Object v, String name, List<String> values) {
    if (!(v instanceof Map<?, ?> map)) {
      return "not a map: " + v;
    }
    Object got = map.get(name);
    return values.equals(got) ? null : name + " is " + got + ", expected " + values;
  }

  @SuppressWarnings("unchecked")
  private static String echoBytes(Object v) {
    if (!(v instanceof Map<?, ?> map) || !(map.get("$bytes") instanceof String b64)) {
      return "not bytes: " + v;
    }
    String text = new String(java.util.Base64.getDecoder().decode(b64), java.nio.charset.StandardCharsets.UTF_8);
    return text.contains("\"uri\"") ? null : "not the echo upstream's body: " + text;
  }

  private static Case.Effect clientHeader(String name, List<String> values) {
    return o -> o.header(name).equals(values) ? null : "client got " + name + ": " + o.header(name) + ", expected " + values;
  }

  private static Case.Effect fromUpstream() {
    return o -> o.upstream() != null ? null : "the request did not reach the upstream (status " + o.status() + ")";
  }

  private static Case.Effect upstreamUri(String uri) {
    return o -> uri.equals(o.upstreamUri()) ? null : "upstream saw " + o.upstreamUri() + ", expected " + uri;
  }

  /** The upstream header as JSON text ({@code "v"} or {@code ["a","b"]}); {@code null}: absent. */
  private static Case.Effect upstreamHeader(String name, String json) {
    return o -> {
      if (o.upstream() == null) {
        return "the request did not reach the upstream (status " + o.status() + ")";
      }
      JsonNode got = o.upstreamHeader(name);
      String text = got == null ? null : got.toString();
      return java.util.Objects.equals(text, json) ? null : "upstream saw " + name + ": " + text + ", expected " + json;
    };
  }

  private static Case.Effect inLog(String text) {
    return o -> o.log().contains(text) ? null : "Kong's error log has no \"" + text + "\"";
  }

  private static Case.Effect both(Case.Effect a, Case.Effect c) {
    return o -> {
      String p = a.problem(o);
      return p != null ? p : c.problem(o);
    };
  }

  /** Collects rows, one per allowed phase of each method. */
  private static final class Builder {
    final List<Case> cases = new ArrayList<>();

    void add(String label, Request request, Case.Call call, Case.Check check) {
      add(label, request, call, (p, v) -> check);
    }

    void add(String label, Request request, Case.Call call, Function<Phase, Case.Check> check) {
      add(label, request, call, (p, v) -> check.apply(p));
    }

    void add(String label, Request request, Case.Call call, BiFunction<Phase, KongVersion, Case.Check> check) {
      Method method = resolve(label);
      LuaFunction lua = method.getAnnotation(LuaFunction.class);
      if (lua == null) {
        throw new IllegalStateException(label + " has no @LuaFunction");
      }
      List<Phase> phases = lua.phases().length == 0 ? List.copyOf(RUNNABLE) : Arrays.asList(lua.phases());
      for (Phase phase : phases) {
        String id = label.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-+$", "") + "@" + phase.luaName();
        cases.add(new Case(id, "kong." + label, lua.value(), phase, request, call, v -> check.apply(phase, v)));
      }
    }
  }
}
