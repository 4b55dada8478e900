package dev.kongpdk.testkit;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code kong.client.*}, {@code kong.client.tls.*} and {@code kong.router.*} as FakeKong answers them. */
final class ClientFunctions {

  private static final Pattern UUID_PATTERN =
      Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

  private ClientFunctions() {}

  static void register(FakeKong k) {
    k.fn("kong.client.get_ip", PhaseSets.NOT_IN_LOG_TIMER, a -> k.request.clientIp());
    k.fn("kong.client.get_forwarded_ip", PhaseSets.NOT_IN_LOG_TIMER, a -> k.clientTrusted()
        ? k.request.headers().first("x-forwarded-for").map(v -> v.split(",")[0].trim()).orElse(k.request.clientIp())
        : k.request.clientIp());
    k.fn("kong.client.get_port", PhaseSets.NOT_IN_LOG_TIMER, a -> (long) k.request.clientPort());
    k.fn("kong.client.get_forwarded_port", PhaseSets.NOT_IN_LOG_TIMER, a -> (long) k.request.clientPort());
    k.fn("kong.client.get_credential", PhaseSets.AUTH, a -> k.credential);
    k.fn("kong.client.get_consumer", PhaseSets.AUTH, a -> k.consumer);
    k.fn("kong.client.load_consumer", PhaseSets.AUTH, a -> {
      String id = a.string(0, "consumer_id");
      boolean byUsername = Boolean.TRUE.equals(a.opt(1));
      if (!byUsername && !UUID_PATTERN.matcher(id).matches()) {
        throw new LuaError(a.method, "cannot load a consumer with an id that is not a uuid");
      }
      for (Map<String, Object> c : k.settings.consumers) {
        if (id.equals(c.get("id"))) {
          return c;
        }
      }
      if (byUsername) {
        for (Map<String, Object> c : k.settings.consumers) {
          if (id.equals(c.get("username"))) {
            return c;
          }
        }
      }
      return null;
    });
    k.fn("kong.client.authenticate", PhaseSets.ONLY_ACCESS, a -> {
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
      k.consumer = c == null ? null : a.table(0, "consumer");
      k.credential = cred == null ? null : a.table(1, "credential");
      return null;
    });
    k.fn("kong.client.get_protocol", PhaseSets.AUTH, a -> {
      if (k.settings.route == null) {
        return null; // nil, "No active route found"
      }
      if (k.settings.route.get("protocols") instanceof List<?> protocols && protocols.size() == 1) {
        return protocols.get(0);
      }
      if (k.request.scheme().equals("https")) {
        return "https";
      }
      boolean terminated = Boolean.TRUE.equals(a.opt(0)) && k.clientTrusted()
          && k.request.headers().first("x-forwarded-proto").map(p -> p.equalsIgnoreCase("https")).orElse(false);
      return terminated ? "https" : "http";
    });
    k.fn("kong.client.tls.request_client_certificate", PhaseSets.ONLY_CERTIFICATE, a -> true);
    k.fn("kong.client.tls.disable_session_reuse", PhaseSets.ONLY_CERTIFICATE, a -> true);
    k.fn("kong.client.tls.get_full_client_certificate_chain", PhaseSets.REQ, a -> k.settings.clientCertificate);
    k.fn("kong.client.tls.set_client_verify", PhaseSets.REQ, a -> {
      a.string(0, "v");
      return null;
    });
    k.fn("kong.router.get_route", PhaseSets.AUTH, a -> k.settings.route);
    k.fn("kong.router.get_service", PhaseSets.AUTH, a -> k.settings.service);
  }
}
