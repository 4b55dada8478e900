package dev.kongpdk;

/**
 * {@code kong.log}: writes to Kong's error log, under the plugin's name. The parts of a message are
 * concatenated, as Lua's {@code kong.log.*} does with its arguments.
 *
 * <p>Phases: all.
 */
public interface Log {

  /** {@code kong.log.alert(...)}: logs at alert level. @param parts message parts */
  void alert(Object... parts);

  /** {@code kong.log.crit(...)}: logs at critical level. @param parts message parts */
  void crit(Object... parts);

  /** {@code kong.log.err(...)}: logs at error level. @param parts message parts */
  void err(Object... parts);

  /** {@code kong.log.warn(...)}: logs at warning level. @param parts message parts */
  void warn(Object... parts);

  /** {@code kong.log.notice(...)}: logs at notice level. @param parts message parts */
  void notice(Object... parts);

  /** {@code kong.log.info(...)}: logs at info level. @param parts message parts */
  void info(Object... parts);

  /** {@code kong.log.debug(...)}: logs at debug level. @param parts message parts */
  void debug(Object... parts);
}
