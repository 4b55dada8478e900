package dev.kongpdk.testkit;

import dev.kongpdk.Bridge;
import dev.kongpdk.PdkException;
import dev.kongpdk.bridge.EventEndedException;
import java.util.Arrays;
import java.util.List;

/**
 * The in-process bridge of one event: forwards every call to {@link FakeKong}, and ends the event
 * as the plugin server does: after {@code kong.response.exit}/{@code error}, after a Lua error on
 * Kong's side, or after an unsimulated call, every further call throws a {@link PdkException}
 * caused by {@link EventEndedException}.
 */
final class EventBridge implements Bridge {

  private final FakeKong kong;
  private String endedBecause;

  EventBridge(FakeKong kong) {
    this.kong = kong;
  }

  @Override
  public Object call(String method, Object... args) {
    if (endedBecause != null) {
      throw new PdkException(method, "the event has ended: " + endedBecause, new EventEndedException(endedBecause));
    }
    List<Object> list = args == null ? List.of() : Arrays.asList(args);
    try {
      Object result = kong.call(method, list);
      if (FakeKong.isTerminal(method)) {
        endedBecause = method + " ended it; Kong answers nothing more";
      }
      return result;
    } catch (LuaError e) {
      endedBecause = "Kong raised a Lua error and answers nothing more: " + e.getMessage();
      throw new PdkException(method, endedBecause, new EventEndedException(endedBecause));
    } catch (UnsimulatedCallError e) {
      endedBecause = "the test failed: " + e.getMessage();
      throw e;
    } catch (IllegalArgumentException e) {
      throw new PdkException(method, e.getMessage(), e);
    }
  }
}
