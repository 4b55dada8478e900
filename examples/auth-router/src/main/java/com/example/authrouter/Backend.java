package com.example.authrouter;

import dev.kongpdk.Kong;

/**
 * Where a request goes: an Upstream entity by name ({@code kong.service.set_upstream}) or one
 * {@code host:port} ({@code kong.service.set_target}).
 */
sealed interface Backend {

  /** Sends the current request to this backend. Call in the access phase. */
  void select(Kong kong);

  /** An Upstream entity configured in Kong, with its own targets and load balancing. */
  record Upstream(String name) implements Backend {
    @Override
    public void select(Kong kong) {
      kong.service().setUpstream(name);
    }
  }

  /** One host and port, bypassing Kong's load balancer. */
  record Target(String host, int port) implements Backend {
    @Override
    public void select(Kong kong) {
      kong.service().setTarget(host, port);
    }
  }

  /**
   * Reads a config value: {@code host:port} is a target, anything else an Upstream name.
   *
   * @param field the config field, for the error message
   * @param value the configured value
   * @return the backend
   * @throws IllegalArgumentException when the port is not a number from 1 to 65535
   */
  static Backend parse(String field, String value) {
    int colon = value.lastIndexOf(':');
    if (colon < 0) {
      return new Upstream(value);
    }
    String host = value.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (host.isEmpty() || port < 1 || port > 65535) {
      throw new IllegalArgumentException(field + " must be an upstream name or host:port with a port from 1 to 65535");
    }
    return new Target(host, port);
  }
}
