package dev.kongpdk.testkit.internal;

import java.util.Locale;

/** The error responses Kong writes with {@code kong.response.error}: default messages and formats. */
public final class ErrorPages {

  private ErrorPages() {}

  /** Kong's default message of {@code kong.response.error(status)}. */
  public static String defaultMessage(long status) {
    return switch ((int) status) {
      case 400 -> "Bad request";
      case 401 -> "Unauthorized";
      case 402 -> "Payment required";
      case 403 -> "Forbidden";
      case 404 -> "Not found";
      case 405 -> "Method not allowed";
      case 406 -> "Not acceptable";
      case 407 -> "Proxy authentication required";
      case 408 -> "Request timeout";
      case 409 -> "Conflict";
      case 410 -> "Gone";
      case 411 -> "Length required";
      case 412 -> "Precondition failed";
      case 413 -> "Payload too large";
      case 414 -> "URI too long";
      case 415 -> "Unsupported media type";
      case 416 -> "Range not satisfiable";
      case 417 -> "Expectation failed";
      case 418 -> "I'm a teapot";
      case 421 -> "Misdirected request";
      case 422 -> "Unprocessable entity";
      case 423 -> "Locked";
      case 424 -> "Failed dependency";
      case 425 -> "Too early";
      case 426 -> "Upgrade required";
      case 428 -> "Precondition required";
      case 429 -> "Too many requests";
      case 431 -> "Request header fields too large";
      case 451 -> "Unavailable for legal reasons";
      case 494 -> "Request header or cookie too large";
      case 500 -> "An unexpected error occurred";
      case 501 -> "Not implemented";
      case 502 -> "An invalid response was received from the upstream server";
      case 503 -> "The upstream server is currently unavailable";
      case 504 -> "The upstream server is timing out";
      case 505 -> "HTTP version not supported";
      case 506 -> "Variant also negotiates";
      case 507 -> "Insufficient storage";
      case 508 -> "Loop detected";
      case 510 -> "Not extended";
      case 511 -> "Network authentication required";
      default -> "The upstream server responded with " + status;
    };
  }

  /** Kong's Accept negotiation for error bodies: the supported type with the highest quality. */
  public static String negotiate(String accept) {
    String best = "application/json; charset=utf-8";
    double bestQ = 0;
    for (String part : accept.split(",")) {
      String[] params = part.trim().split(";");
      String media = params[0].trim().toLowerCase(Locale.ROOT);
      if (media.isEmpty()) {
        continue;
      }
      double q = 1;
      for (int i = 1; i < params.length; i++) {
        String param = params[i].trim();
        if (param.startsWith("q=")) {
          try {
            q = Double.parseDouble(param.substring(2));
          } catch (NumberFormatException e) {
            q = 0;
          }
        }
      }
      String type = switch (media) {
        case "text/html" -> "text/html; charset=utf-8";
        case "application/xml" -> "application/xml; charset=utf-8";
        case "text/plain", "text/*" -> "text/plain; charset=utf-8";
        default -> "application/json; charset=utf-8"; // application/json, application/*, */* and unknown types
      };
      if (q > bestQ) {
        bestQ = q;
        best = type;
      }
    }
    return best;
  }

  /**
   * Kong's error template for a content type.
   *
   * @param contentType the response content type, for example {@code text/plain; charset=utf-8}
   * @param message the message
   * @param requestId Kong's request id
   * @return the body
   */
  public static String body(String contentType, String message, String requestId) {
    String mime = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    return switch (mime) {
      case "text/html" -> "<!doctype html>\n<html>\n  <head>\n    <meta charset=\"utf-8\">\n    <title>Error</title>\n"
          + "  </head>\n  <body>\n    <h1>Error</h1>\n    <p>" + message + ".</p>\n    <p>request_id: " + requestId
          + "</p>\n  </body>\n</html>\n";
      case "application/xml" -> "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error>\n  <message>" + message
          + "</message>\n  <requestid>" + requestId + "</requestid>\n</error>\n";
      case "text/plain" -> message + "\nrequest_id: " + requestId + "\n";
      default -> "{\n  \"message\":\"" + message + "\",\n  \"request_id\":\"" + requestId + "\"\n}";
    };
  }
}
