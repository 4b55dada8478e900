package com.example.authrouter;

import java.util.Set;

/**
 * What the auth service knows about the caller's account.
 *
 * @param id the account id
 * @param version the account version; accounts from {@code new_from_version} on use the new backend
 * @param plan the account's plan, for example {@code free} or {@code gold}
 * @param features the feature flags enabled for the account
 */
public record Account(String id, int version, String plan, Set<String> features) {

  /** Copies the flags so that the record stays immutable. */
  public Account {
    features = Set.copyOf(features);
  }
}
