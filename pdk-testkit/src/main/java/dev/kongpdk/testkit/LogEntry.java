package dev.kongpdk.testkit;

/**
 * One line a plugin wrote to Kong's error log with {@code kong.log.*}.
 *
 * @param plugin the plugin's name (Kong prefixes the line with it)
 * @param phase the phase it was written in, for example {@code access}
 * @param level the level: {@code debug, info, notice, warn, err, crit, alert, emerg}
 * @param message the arguments concatenated as Lua's {@code kong.log} does
 */
public record LogEntry(String plugin, String phase, String level, String message) {}
