package dev.kongpdk.metrics.internal;

/**
 * An address given as {@code [HOST:]PORT} ({@code 9542}, {@code :9542}, {@code 0.0.0.0:9542},
 * {@code [::1]:9542}); the host is {@code 127.0.0.1} unless given.
 *
 * @param host the host name or address
 * @param port the port, 0 for any free one
 */
public record HostPort(String host, int port) {

  /** The host used when none is given: only this machine can connect. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /**
   * Parses {@code text}.
   *
   * @param option the option it came from, for messages
   * @param text the value
   * @return the address
   * @throws IllegalArgumentException when it is not {@code [HOST:]PORT}
   */
  public static HostPort parse(String option, String text) {
    int colon = text.lastIndexOf(':');
    String host = colon < 0 ? "" : text.substring(0, colon);
    String port = text.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.contains(":") && !text.startsWith("[")) {
      throw new IllegalArgumentException(option + ": write an IPv6 address in brackets, as in [::1]:9542;"
          + " got '" + text + "'");
    }
    int number;
    try {
      number = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      number = -1;
    }
    if (number < 0 || number > 65535) {
      throw new IllegalArgumentException(option + " needs [HOST:]PORT with a port from 0 to 65535,"
          + " got '" + text + "'");
    }
    return new HostPort(host.isEmpty() ? DEFAULT_HOST : host, number);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
