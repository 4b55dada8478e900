package dev.kongpdk;

/** {@code kong.service.request}: changes the request Kong sends to the upstream service. */
public interface ServiceRequest {

  /**
   * {@code kong.service.request.set_header(name, value)}: sets a header of the upstream request,
   * replacing earlier values.
   *
   * <p>Phases: rewrite, access.
   *
   * @param name the header name
   * @param value the header value
   */
  void setHeader(String name, String value);
}
