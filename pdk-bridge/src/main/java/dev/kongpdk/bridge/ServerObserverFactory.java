package dev.kongpdk.bridge;

import java.util.Map;

/**
 * Creates the {@link ServerObserver} the command line's {@code --metrics-*} options ask for; a
 * metrics module registers one for {@link java.util.ServiceLoader}. {@link PluginServerMain} looks
 * for it only when such an option is given.
 */
public interface ServerObserverFactory {

  /**
   * Returns the module that provides this factory, for messages (for example {@code
   * dev.kongpdk:pdk-metrics}).
   *
   * @return the module's Maven coordinates
   */
  String module();

  /**
   * Creates the observer and starts what it publishes through (an HTTP endpoint, a UDP sender).
   *
   * @param options the {@code --metrics-*} options without their prefix, in the order given: for
   *     {@code --metrics-prometheus 127.0.0.1:9542}, the key {@code prometheus} with value {@code
   *     127.0.0.1:9542}
   * @return the observer
   * @throws IllegalArgumentException when an option is unknown or its value is not valid, saying
   *     which
   * @throws java.io.UncheckedIOException when an endpoint cannot be opened (a port in use)
   */
  ServerObserver create(Map<String, String> options);
}
