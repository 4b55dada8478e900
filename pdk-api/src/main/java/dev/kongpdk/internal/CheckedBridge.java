package dev.kongpdk.internal;

import dev.kongpdk.Bridge;
import dev.kongpdk.PdkException;
import dev.kongpdk.plugin.KongVersion;
import dev.kongpdk.plugin.Phase;
import java.util.Objects;

/**
 * Refuses, before anything is sent, a call the current phase or Kong version does not allow (per
 * the {@code LuaFunction} annotations): Kong would answer it with a Lua error, which ends the event
 * without an answer and, in an external plugin's log phase, leaves the request data Kong saved for
 * it behind, where later requests read it. Every other call goes through unchanged.
 */
public final class CheckedBridge implements Bridge {

  /** Starts the message of every refusal, so logs and tests can tell it from Kong's own errors. */
  public static final String NOT_SENT = "not sent to Kong: ";

  private final Bridge next;
  private final Phase phase;
  private final KongVersion version;

  /**
   * Wraps {@code next} for one event.
   *
   * @param next answers the calls that are allowed
   * @param phase the event's phase
   * @param version the Kong that started the plugin instance
   */
  public CheckedBridge(Bridge next, Phase phase, KongVersion version) {
    this.next = Objects.requireNonNull(next, "next");
    this.phase = Objects.requireNonNull(phase, "phase");
    this.version = Objects.requireNonNull(version, "version");
  }

  @Override
  public Object call(String method, Object... args) {
    String refusal = CallRules.refusal(method, phase, version);
    if (refusal != null) {
      throw new PdkException(method, NOT_SENT + refusal);
    }
    return next.call(method, args);
  }
}
