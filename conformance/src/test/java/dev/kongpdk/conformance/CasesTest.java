package dev.kongpdk.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kongpdk.Kong;
import dev.kongpdk.LuaFunction;
import dev.kongpdk.plugin.KongVersion;
import dev.kongpdk.plugin.Phase;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CasesTest {

  @Test
  void everyTypedMethodHasARowForEachPhaseItsAnnotationAllows() {
    Set<String> missing = new TreeSet<>();
    List<Case> cases = Cases.all();
    collect(Kong.class, "", cases, missing);
    assertEquals(Set.of(), missing, "typed methods without a conformance row");
    assertEquals(cases.size(), Cases.byId().size(), "row ids are unique");
  }

  private static void collect(Class<?> module, String path, List<Case> cases, Set<String> missing) {
    for (Method m : module.getMethods()) {
      Class<?> type = m.getReturnType();
      if (m.getParameterCount() == 0 && type.isInterface() && type.getPackageName().equals("dev.kongpdk")) {
        collect(type, path + m.getName() + "().", cases, missing);
        continue;
      }
      LuaFunction lua = m.getAnnotation(LuaFunction.class);
      if (lua == null) {
        continue;
      }
      String label = "kong." + path + m.getName() + "(" + Cases.params(m) + ")";
      Set<Phase> expected = lua.phases().length == 0 ? Cases.RUNNABLE : Set.copyOf(Arrays.asList(lua.phases()));
      Set<Phase> rows = cases.stream().filter(c -> c.method().equals(label)).map(Case::phase)
          .collect(Collectors.toSet());
      if (!rows.equals(expected)) {
        missing.add(label + " has rows for " + rows + ", expected " + expected);
      }
    }
  }

  @Test
  void aRowCanBeJudgedDifferentlyPerKongVersion() {
    Case vaultGet = Cases.byId().get("vault-get-String@access");
    assertTrue(vaultGet.check(KongVersion.KONG_2).skip() != null);
    assertEquals(null, vaultGet.check(KongVersion.KONG_3).skip());
  }
}
