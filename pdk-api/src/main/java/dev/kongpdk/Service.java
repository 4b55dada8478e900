package dev.kongpdk;

/** {@code kong.service}: the upstream service of the current request. */
public interface Service {

  /** {@code kong.service.request}: the request Kong sends upstream. */
  ServiceRequest request();
}
