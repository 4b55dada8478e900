package dev.kongpdk.bridge.internal.event;

import java.util.List;

/** What an event sends to Kong next: a PDK call, or the end of the handler. */
public sealed interface Outbound {

  /** The handler calls {@code method} with {@code args}; {@code terminal} calls get no answer. */
  record Call(String method, List<Object> args, boolean terminal) implements Outbound {}

  /** The handler finished; Kong is told {@code "ret"}. */
  record Done() implements Outbound {}

  /** The handler did not finish in time; Kong is told {@code message} as an RPC error. */
  record Failed(String message) implements Outbound {}
}
