package dev.kongpdk.testkit;

/**
 * ServiceLoader providers for the test plugins, so that a real plugin server process started on
 * the test class path serves them (registered in META-INF/services).
 */
public final class ServedTestPlugins {

  private ServedTestPlugins() {}

  /** Serves {@link TestPlugins.EveryPhase}. */
  public static final class EveryPhase extends TestDescriptor {
    /** ServiceLoader constructor. */
    public EveryPhase() {
      super(TestPlugins.EveryPhase.DESCRIPTOR);
    }
  }

  /** Serves {@link TestPlugins.Deny}. */
  public static final class Deny extends TestDescriptor {
    /** ServiceLoader constructor. */
    public Deny() {
      super(TestPlugins.Deny.DESCRIPTOR);
    }
  }

  /** Serves {@link TestPlugins.WrongPhase}. */
  public static final class WrongPhase extends TestDescriptor {
    /** ServiceLoader constructor. */
    public WrongPhase() {
      super(TestPlugins.WrongPhase.DESCRIPTOR);
    }
  }

  /** Serves {@link TestPlugins.Throws}. */
  public static final class Throws extends TestDescriptor {
    /** ServiceLoader constructor. */
    public Throws() {
      super(TestPlugins.Throws.DESCRIPTOR);
    }
  }

  /** Serves {@link TestPlugins.Rewriter}. */
  public static final class Rewriter extends TestDescriptor {
    /** ServiceLoader constructor. */
    public Rewriter() {
      super(TestPlugins.Rewriter.DESCRIPTOR);
    }
  }

  /** Serves {@link TestPlugins.ResponseReader}. */
  public static final class ResponseReader extends TestDescriptor {
    /** ServiceLoader constructor. */
    public ResponseReader() {
      super(TestPlugins.ResponseReader.DESCRIPTOR);
    }
  }
}
