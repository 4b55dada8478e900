package dev.kongpdk;

import static dev.kongpdk.plugin.Phase.ACCESS;
import static dev.kongpdk.plugin.Phase.LOG;
import static dev.kongpdk.plugin.Phase.RESPONSE;
import static dev.kongpdk.plugin.Phase.REWRITE;

import java.util.Locale;

/**
 * {@code kong.log}: writes to Kong's error log, under the plugin's name, and shapes what logging
 * plugins receive. The parts of a message are turned into strings and concatenated, as Lua's {@code
 * kong.log.*} does with its arguments.
 */
public interface Log {

  /**
   * {@code kong.log.emerg(...)}: logs at emergency level.
   *
   * <p>Phases: any.
   *
   * @param parts message parts
   */
  @LuaFunction("kong.log.emerg")
  void emerg(Object... parts);

  /**
   * {@code kong.log.alert(...)}: logs at alert level.
   *
   * <p>Phases: any.
   *
   * @param parts message parts
   */
  @LuaFunction("kong.log.alert")
  void alert(Object... parts);

  /**
   * {@code kong.log.crit(...)}: logs at critical level.
   *
   * <p>Phases: any.
   *
   * @param parts message parts
   */
  @LuaFunction("kong.log.crit")
  void crit(Object... parts);

  /**
   * {@code kong.log.err(...)}: logs at error level.
   *
   * <p>Phases: any.
   *
   * @param parts message parts
   */
  @LuaFunction("kong.log.err")
  void err(Object... parts);

  /**
   * {@code kong.log.warn(...)}: logs at warning level.
   *
   * <p>Phases: any.
   *
   * @param parts message parts
   */
  @LuaFunction("kong.log.warn")
  void warn(Object... parts);

  /**
   * {@code kong.log.notice(...)}: logs at notice level.
   *
   * <p>Phases: any.
   *
   * @param parts message parts
   */
  @LuaFunction("kong.log.notice")
  void notice(Object... parts);

  /**
   * {@code kong.log.info(...)}: logs at info level.
   *
   * <p>Phases: any.
   *
   * @param parts message parts
   */
  @LuaFunction("kong.log.info")
  void info(Object... parts);

  /**
   * {@code kong.log.debug(...)}: logs at debug level.
   *
   * <p>Phases: any.
   *
   * @param parts message parts
   */
  @LuaFunction("kong.log.debug")
  void debug(Object... parts);

  /**
   * {@code kong.log.deprecation(...)}: logs a deprecation warning.
   *
   * <p>Phases: any.
   *
   * @param parts message parts
   */
  @LuaFunction("kong.log.deprecation")
  void deprecation(Object... parts);

  /**
   * {@code kong.log.inspect(...)}: pretty-prints values to the error log at debug level, when
   * inspection is on. Values are sent as they are (maps and lists print as Lua tables).
   *
   * <p>Phases: any.
   *
   * @param values strings, numbers, booleans, lists or maps
   * @throws IllegalArgumentException when a value has no Lua counterpart
   */
  @LuaFunction("kong.log.inspect")
  void inspect(Object... values);

  /**
   * {@code kong.log.inspect.on()}: turns {@link #inspect} output on (the default).
   *
   * <p>Phases: any.
   */
  @LuaFunction("kong.log.inspect.on")
  void inspectOn();

  /**
   * {@code kong.log.inspect.off()}: turns {@link #inspect} output off.
   *
   * <p>Phases: any.
   */
  @LuaFunction("kong.log.inspect.off")
  void inspectOff();

  /**
   * {@code kong.log.set_format(format)}: the format of this plugin's log lines, with the
   * placeholders {@code %namespace}, {@code %file_src}, {@code %line_src}, {@code %func_name} and
   * {@code %message}.
   *
   * <p>Phases: any.
   *
   * @param format the format
   */
  @LuaFunction("kong.log.set_format")
  void setFormat(String format);

  /**
   * {@code kong.log.set_serialize_value(key, value)}: sets a field of the table that logging
   * plugins serialize, replacing an existing value. Dotted keys address nested fields ({@code
   * "request.headers.x-id"}).
   *
   * <p>Phases: rewrite, access, response, log.
   *
   * @param key the field, dotted for nested fields
   * @param value a string, number, boolean, list or map; {@code null} removes the field
   * @throws IllegalArgumentException when the value has no Lua counterpart
   */
  @LuaFunction(value = "kong.log.set_serialize_value", phases = {REWRITE, ACCESS, RESPONSE, LOG})
  void setSerializeValue(String key, Object value);

  /**
   * {@code kong.log.set_serialize_value(key, value, {mode = mode})}: as {@link
   * #setSerializeValue(String, Object)}, with the mode that decides whether an existing field is
   * replaced.
   *
   * <p>Phases: rewrite, access, response, log.
   *
   * @param key the field, dotted for nested fields
   * @param value a string, number, boolean, list or map (not {@code null})
   * @param mode how to treat an existing field
   * @throws IllegalArgumentException when the value is {@code null} or has no Lua counterpart
   */
  @LuaFunction(value = "kong.log.set_serialize_value", phases = {REWRITE, ACCESS, RESPONSE, LOG})
  void setSerializeValue(String key, Object value, SerializeMode mode);

  /**
   * {@code kong.log.serialize()}: the table Kong's logging plugins send (request, response,
   * route, service, consumer, latencies, ...), as JSON text. Parse it with any JSON library.
   *
   * <p>Phases: log.
   *
   * @return the JSON text
   * @throws PdkException when Kong answers nothing
   */
  @LuaFunction(value = "kong.log.serialize", phases = {LOG}, savedForLog = true)
  String serialize();

  /** How {@link #setSerializeValue(String, Object, SerializeMode)} treats an existing field. */
  enum SerializeMode {
    /** Sets the field whether it exists or not. */
    SET,
    /** Sets the field only if it does not exist yet. */
    ADD,
    /** Sets the field only if it exists already. */
    REPLACE;

    /**
     * Returns the Lua name of the mode.
     *
     * @return {@code "set"}, {@code "add"} or {@code "replace"}
     */
    public String luaName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
