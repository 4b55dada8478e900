package com.example.authrouter;

/** The auth service's verdict on one token. */
sealed interface AuthAnswer {

  /** The token is valid: the request goes on for this account. */
  record Allowed(Account account) implements AuthAnswer {}

  /** The auth service refused the token: the client gets {@code status} (401 or 403). */
  record Denied(int status, String message) implements AuthAnswer {}

  /** The auth service could not answer (down, slow, or an answer this plugin cannot read). */
  record Unavailable(String reason) implements AuthAnswer {}

  /** Returns whether the answer may be cached: verdicts yes, outages never. */
  default boolean cacheable() {
    return !(this instanceof Unavailable);
  }
}
