package dev.kongpdk.testkit;

import static dev.kongpdk.plugin.Phase.ACCESS;
import static dev.kongpdk.plugin.Phase.CERTIFICATE;
import static dev.kongpdk.plugin.Phase.LOG;
import static dev.kongpdk.plugin.Phase.PREREAD;
import static dev.kongpdk.plugin.Phase.RESPONSE;
import static dev.kongpdk.plugin.Phase.REWRITE;

import dev.kongpdk.plugin.Phase;
import java.util.EnumSet;
import java.util.Set;

/**
 * The phase sets of Kong's PDK functions (§6 of the protocol reference, "Ext" column): the
 * external-plugin events in which a call passes Kong's phase check. {@code log†} (needs {@code
 * ngx.var}/{@code ngx.req} in the log timer) is left out of {@code LOG}.
 */
final class PhaseSets {

  private PhaseSets() {}

  static final Set<Phase> ANY = EnumSet.allOf(Phase.class);
  static final Set<Phase> NOT_IN_LOG_TIMER = EnumSet.of(CERTIFICATE, REWRITE, ACCESS, RESPONSE, PREREAD);
  static final Set<Phase> REQ = EnumSet.of(REWRITE, ACCESS, RESPONSE);
  static final Set<Phase> REQ_SAVED = EnumSet.of(REWRITE, ACCESS, RESPONSE, LOG);
  static final Set<Phase> AUTH = EnumSet.of(ACCESS, RESPONSE, LOG);
  static final Set<Phase> R_READ = EnumSet.of(RESPONSE, LOG);
  static final Set<Phase> R_WRITE = EnumSet.of(REWRITE, ACCESS, RESPONSE);
  static final Set<Phase> EXIT = EnumSet.of(REWRITE, ACCESS, RESPONSE, PREREAD);
  static final Set<Phase> TGT = EnumSet.of(REWRITE, ACCESS, PREREAD);
  static final Set<Phase> ONLY_ACCESS = EnumSet.of(ACCESS);
  static final Set<Phase> RA = EnumSet.of(REWRITE, ACCESS);
  static final Set<Phase> ONLY_PREREAD = EnumSet.of(PREREAD);
  static final Set<Phase> ONLY_RESPONSE = EnumSet.of(RESPONSE);
  static final Set<Phase> ONLY_LOG = EnumSet.of(LOG);
  static final Set<Phase> ONLY_CERTIFICATE = EnumSet.of(CERTIFICATE);
  static final Set<Phase> BODY_FILTER_ONLY = EnumSet.noneOf(Phase.class);
}
