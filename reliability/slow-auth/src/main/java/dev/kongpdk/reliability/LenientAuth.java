package dev.kongpdk.reliability;

import dev.kongpdk.Kong;
import dev.kongpdk.plugin.AccessPhase;
import dev.kongpdk.plugin.KongPlugin;

/**
 * {@link SlowAuth}'s fail-open twin: the same auth call, but a failure (or a shed event) lets the
 * request go on without the plugin. Serve it with {@code --plugin lenientauth}.
 */
@KongPlugin(name = "lenientauth", version = "0.1.0", priority = 1000, failOpen = true)
public final class LenientAuth implements AccessPhase, AutoCloseable {

  private final SlowAuth auth;

  public LenientAuth(SlowAuth.Config config) {
    this.auth = new SlowAuth(config);
  }

  @Override
  public void access(Kong kong) throws Exception {
    auth.access(kong);
  }

  @Override
  public void close() {
    auth.close();
  }
}
