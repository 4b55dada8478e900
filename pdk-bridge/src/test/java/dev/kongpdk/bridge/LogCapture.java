package dev.kongpdk.bridge;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Records what the server logs (the {@code dev.kongpdk.bridge} loggers), one line per record: its
 * level, its message, and {@code " [stack trace]"} when it carried a throwable.
 */
final class LogCapture extends Handler {

  /** Held here: a logger nobody references may be collected, and its level with it. */
  private final Logger logger = Logger.getLogger("dev.kongpdk.bridge");
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final SimpleFormatter formatter = new SimpleFormatter();
  private Level previous;

  /** Starts recording records at {@code level} and above. */
  void start(Level level) {
    previous = logger.getLevel();
    logger.setLevel(level);
    logger.addHandler(this);
  }

  /** Stops recording and puts the logger's level back. */
  void stop() {
    logger.removeHandler(this);
    logger.setLevel(previous);
  }

  /** The lines recorded so far. */
  List<String> lines() {
    return lines;
  }

  @Override
  public void publish(LogRecord record) {
    lines.add(record.getLevel() + " " + formatter.formatMessage(record)
        + (record.getThrown() == null ? "" : " [stack trace]"));
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
