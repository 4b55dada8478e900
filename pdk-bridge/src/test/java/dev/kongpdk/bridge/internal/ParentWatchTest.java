package dev.kongpdk.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ParentWatchTest {

  @Test
  void theParentPidIsTheFieldAfterTheStateEvenWhenTheCommandHasSpacesAndParentheses() {
    assertEquals(4242, ParentWatch.parseParentPid("1234 (java) S 4242 1234 1234 0 -1 4194560"));
    assertEquals(7, ParentWatch.parseParentPid("99 (a (weird) name) R 7 99 99 0"));
    assertEquals(-1, ParentWatch.parseParentPid(""));
    assertEquals(-1, ParentWatch.parseParentPid("99 (cut"));
  }

  @Test
  void thisProcessHasAParentOnLinux() {
    long parent = ParentWatch.parentPid();
    assertEquals(ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L), parent);
  }
}
