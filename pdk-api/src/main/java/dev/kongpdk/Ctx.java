package dev.kongpdk;

/**
 * {@code kong.ctx}: per-request storage. Only {@code kong.ctx.shared} is reachable from an external
 * plugin; {@code kong.ctx.plugin} is not exposed over the plugin socket.
 */
public interface Ctx {

  /**
   * {@code kong.ctx.shared}: values shared by all plugins during one request, across phases.
   *
   * @return the module
   */
  SharedCtx shared();
}
