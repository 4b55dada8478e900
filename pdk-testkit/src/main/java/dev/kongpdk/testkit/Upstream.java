package dev.kongpdk.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** The simulated upstream service: answers the request Kong proxies to it. */
@FunctionalInterface
public interface Upstream {

  /** See {@link UpstreamResponse#echo()}. */
  Upstream ECHO = request -> {
    ObjectMapper json = new ObjectMapper();
    ObjectNode echo = json.createObjectNode();
    echo.put("method", request.method());
    echo.put("path", request.path());
    echo.put("query", request.rawQuery());
    ObjectNode headers = echo.putObject("headers");
    for (Map.Entry<String, List<String>> e : request.headers().asMap().entrySet()) {
      e.getValue().forEach(headers.withArray(e.getKey())::add);
    }
    echo.put("body", request.bodyText());
    return UpstreamResponse.status(200).json(echo.toString());
  };

  /**
   * Answers one proxied request.
   *
   * @param request the request as the plugins left it
   * @return the upstream's response
   */
  UpstreamResponse respond(UpstreamRequest request);

  /**
   * Returns an upstream that always answers {@code response}.
   *
   * @param response the canned response
   * @return the upstream
   */
  static Upstream canned(UpstreamResponse response) {
    return request -> response;
  }
}
