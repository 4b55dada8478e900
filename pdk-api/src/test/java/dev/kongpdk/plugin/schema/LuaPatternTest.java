package dev.kongpdk.plugin.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LuaPatternTest {

  /** Expected results are what Lua's {@code string.match(text, pattern) ~= nil} gives. */
  @ParameterizedTest(name = "{0} in \"{1}\" -> {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "^%w+$       | abc123      | true",
        "^%w+$       | abc 123     | false",
        "^%d%d%d$    | 123         | true",
        "^%d%d%d$    | 1234        | false",
        "%.          | a.b         | true",
        "%.          | ab          | false",
        "a.c         | `a\nc`      | true",
        "^https?://  | http://x    | true",
        "^https?://  | https://x   | true",
        "^https?://  | ftp://x     | false",
        "^[%a_][%w_]*$ | _name1    | true",
        "^[%a_][%w_]*$ | 1name     | false",
        "^[^%s]+$    | no-space    | true",
        "^[^%s]+$    | `a b`       | false",
        "^[]]$       | ]           | true",
        "^[a-c-]+$   | a-b-c       | true",
        "^%u%l+$     | Kong        | true",
        "^%u%l+$     | kong        | false",
        "^%x+$       | DeadBeef    | true",
        "^%p+$       | !?-         | true",
        "^a-b$       | ab          | true",
        "^a-b$       | aaab        | true",
        "^(%a+)=%1$  | ab=ab       | true",
        "^(%a+)=%1$  | ab=cd       | false",
        "%f[%w]%w+%f[%W]$ | hello   | true",
        "%f[%a]cat   | concat      | false",
        "%f[%a]cat   | the cat     | true",
        "x$y         | x$y         | true",
        "a^b         | a^b         | true",
        "^()a        | a           | true",
        "%S+         | `  `        | false",
      })
  void find_agreesWithLua(String pattern, String text, boolean expected) {
    assertEquals(expected, LuaPattern.compile(pattern.strip()).find(text));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "%b()     | balanced matches",
        "abc%     | ends with '%'",
        "[abc     | missing ']'",
        "%q       | unknown class",
        "(abc     | unbalanced",
        "%f       | missing '['",
      })
  void compile_rejectsWhatJavaCannotCheck(String pattern, String reason) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LuaPattern.compile(pattern.strip()));
    assertEquals(true, e.getMessage().contains(reason.strip()), e.getMessage());
    assertEquals(true, e.getMessage().contains(pattern.strip()), e.getMessage());
  }
}
