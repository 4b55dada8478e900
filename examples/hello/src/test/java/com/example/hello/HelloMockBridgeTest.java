package com.example.hello;

// tag::mockbridge[]
import dev.kongpdk.testkit.MockBridge;
import org.junit.jupiter.api.Test;

/**
 * The plugin against a script of the Lua PDK calls it must make, in order, with Kong's answers:
 * any other call, or a missing one, fails the test. See docs/testing.md, "MockBridge".
 */
class HelloMockBridgeTest {

  @Test
  void readsTheHostThenSetsTheGreeting() {
    MockBridge bridge = new MockBridge()
        .expect("kong.request.get_header", "host").returns("example.com")
        .expect("kong.response.set_header", "x-hello-from-java", "Java says hi to example.com").returnsNothing();

    new Hello(new Hello.Config("hi")).access(bridge.kong());

    bridge.verify();
  }

  @Test
  void greetsAnUnknownHostWhenThereIsNoHostHeader() {
    MockBridge bridge = new MockBridge()
        .expect("kong.request.get_header", "host").returns(null)
        .expect("kong.response.set_header", "x-hello-from-java", "Java says hi to unknown").returnsNothing();

    new Hello(new Hello.Config("hi")).access(bridge.kong());

    bridge.verify();
  }
}
// end::mockbridge[]
