package dev.kongpdk.testkit;

import dev.kongpdk.Kong;
import dev.kongpdk.plugin.AccessPhase;
import dev.kongpdk.plugin.LogPhase;
import dev.kongpdk.plugin.Phase;
import dev.kongpdk.plugin.ResponsePhase;
import dev.kongpdk.plugin.RewritePhase;
import java.util.List;
import java.util.Map;

/** Small plugins for the testkit's own tests, each with a hand-written descriptor. */
final class TestPlugins {

  private TestPlugins() {}

  /** Logs the phase it runs in, in every phase, and counts calls in ctx.shared. */
  static final class EveryPhase implements RewritePhase, AccessPhase, ResponsePhase, LogPhase {
    static final TestDescriptor DESCRIPTOR = TestDescriptor.of("every-phase", 500,
        List.of(Phase.REWRITE, Phase.ACCESS, Phase.RESPONSE, Phase.LOG), EveryPhase.class, EveryPhase::new);

    @Override
    public void rewrite(Kong kong) {
      kong.log().notice("rewrite");
    }

    @Override
    public void access(Kong kong) {
      kong.log().notice("access");
    }

    @Override
    public void response(Kong kong) {
      kong.log().notice("response");
    }

    @Override
    public void log(Kong kong) {
      kong.log().notice("log");
    }
  }

  /** Denies requests carrying {@code x-deny}, with 403 and a JSON body. */
  static final class Deny implements AccessPhase, LogPhase {
    static final TestDescriptor DESCRIPTOR = TestDescriptor.of("deny", 2000,
        List.of(Phase.ACCESS, Phase.LOG), Deny.class, Deny::new);

    @Override
    public void access(Kong kong) {
      if (kong.request().getHeader("x-deny").isPresent()) {
        kong.response().exit(403, Map.of("message", "denied"), Map.of("X-Denied", "1"));
        return;
      }
      kong.call("kong.ctx.shared.set", "deny", "passed");
    }

    @Override
    public void log(Kong kong) {
      kong.log().info("deny log ran, status ", kong.call("kong.response.get_status").orElse(null));
    }
  }

  /** Calls a function FakeKong does not simulate. */
  static final class UsesUnsimulated implements AccessPhase {
    static final TestDescriptor DESCRIPTOR = TestDescriptor.of("unsimulated", 100,
        List.of(Phase.ACCESS), UsesUnsimulated.class, UsesUnsimulated::new);

    @Override
    public void access(Kong kong) {
      try {
        kong.call("kong.table.new", 0, 4);
      } catch (RuntimeException ignored) {
        // a plugin catching exceptions must not hide the failure
      }
      kong.response().setHeader("x-after", "still running");
    }
  }

  /** Reads the response status in access, which Kong refuses with a Lua error. */
  static final class WrongPhase implements AccessPhase {
    static final TestDescriptor DESCRIPTOR = TestDescriptor.of("wrong-phase", 100,
        List.of(Phase.ACCESS), WrongPhase.class, WrongPhase::new);

    @Override
    public void access(Kong kong) {
      kong.call("kong.response.get_status");
      kong.response().setHeader("x-unreachable", "1");
    }
  }

  /** Throws in access. */
  static final class Throws implements AccessPhase {
    static final TestDescriptor DESCRIPTOR = TestDescriptor.of("throws", 100,
        List.of(Phase.ACCESS), Throws.class, Throws::new);

    @Override
    public void access(Kong kong) {
      throw new IllegalStateException("boom");
    }
  }

  /** Rewrites the upstream request with every kind of kong.service call. */
  static final class Rewriter implements AccessPhase {
    static final TestDescriptor DESCRIPTOR = TestDescriptor.of("rewriter", 800,
        List.of(Phase.ACCESS), Rewriter.class, Rewriter::new);

    @Override
    public void access(Kong kong) {
      kong.call("kong.service.request.set_method", "PUT");
      kong.call("kong.service.request.set_path", "/v2/items");
      kong.call("kong.service.request.set_query", Map.of("b", "2", "a", List.of("x", "y"), "flag", true));
      kong.call("kong.service.request.set_header", "X-Up", "1");
      kong.call("kong.service.request.add_header", "X-Multi", "two");
      kong.call("kong.service.request.clear_header", "X-Remove");
      kong.call("kong.service.request.set_raw_body", new byte[] {0, (byte) 0xff, 1});
      kong.call("kong.service.set_target", "10.0.0.5", 8443);
      kong.call("kong.service.set_retries", 2);
      kong.call("kong.service.set_timeouts", 100, 200, 300);
    }
  }

  /** Reads the service response in the response phase and reports it in a header. */
  static final class ResponseReader implements AccessPhase, ResponsePhase {
    static final TestDescriptor DESCRIPTOR = TestDescriptor.of("response-reader", 700,
        List.of(Phase.ACCESS, Phase.RESPONSE), ResponseReader.class, ResponseReader::new);

    @Override
    public void access(Kong kong) {
      kong.response().setHeader("x-from-access", "1");
    }

    @Override
    public void response(Kong kong) {
      Object status = kong.call("kong.service.response.get_status").orElse(null);
      Object upstreamHeader = kong.call("kong.service.response.get_header", "x-upstream").orElse(null);
      kong.response().setHeader("x-seen", status + "/" + upstreamHeader);
      kong.call("kong.response.set_status", 201);
    }
  }
}
