package com.example.hello;

// tag::mockito[]
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import dev.kongpdk.Kong;
import dev.kongpdk.Request;
import dev.kongpdk.Response;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The plugin with Mockito: {@code Kong} and its modules are interfaces, so they mock like any
 * other; stub what the plugin reads, verify what it sets. See docs/testing.md, "Mockito".
 */
class HelloMockitoTest {

  private final Kong kong = mock(Kong.class);
  private final Request request = mock(Request.class);
  private final Response response = mock(Response.class);

  HelloMockitoTest() {
    when(kong.request()).thenReturn(request);
    when(kong.response()).thenReturn(response);
  }

  @Test
  void setsTheGreetingForTheRequestsHost() {
    when(request.getHeader("host")).thenReturn(Optional.of("example.com"));

    new Hello(new Hello.Config("hi")).access(kong);

    verify(response).setHeader("x-hello-from-java", "Java says hi to example.com");
    verifyNoMoreInteractions(response);
  }

  @Test
  void greetsAnUnknownHostWhenThereIsNoHostHeader() {
    when(request.getHeader("host")).thenReturn(Optional.empty());

    new Hello(new Hello.Config("hi")).access(kong);

    verify(response).setHeader("x-hello-from-java", "Java says hi to unknown");
  }
}
// end::mockito[]
