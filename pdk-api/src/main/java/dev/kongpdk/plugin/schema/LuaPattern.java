package dev.kongpdk.plugin.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Lua pattern, as Kong's {@code match}, {@code not_match} and {@code match_any} attributes use
 * them, translated to a Java regular expression so that the plugin server checks a config the same
 * way Kong does.
 *
 * <p>Supported: {@code .}, the classes {@code %a %c %d %g %l %p %s %u %w %x %z} and their
 * upper-case complements, {@code %} escapes, sets {@code [...]} and {@code [^...]} with ranges and
 * classes, the quantifiers {@code * + - ?}, anchors {@code ^} and {@code $}, captures {@code (...)},
 * position captures {@code ()}, back-references {@code %1}-{@code %9} and frontiers {@code
 * %f[set]}. Not supported: balanced matches {@code %b}, which no regular expression can express.
 * Classes follow the C locale (ASCII), as in Kong. Lua matches bytes and Java matches UTF-16 chars:
 * for ASCII text both agree; on other text {@code .} matches one character where Lua matches one
 * byte.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class LuaPattern {

  private static final int MAX_CODE_POINT = Character.MAX_CODE_POINT;

  private final String luaPattern;
  private final Pattern regex;

  private LuaPattern(String luaPattern, Pattern regex) {
    this.luaPattern = luaPattern;
    this.regex = regex;
  }

  /**
   * Translates a Lua pattern.
   *
   * @param luaPattern the pattern, for example {@code "^%w+$"}
   * @return the compiled pattern
   * @throws IllegalArgumentException when the pattern is malformed, or uses {@code %b}
   */
  public static LuaPattern compile(String luaPattern) {
    String javaRegex = new Translator(luaPattern).translate();
    return new LuaPattern(luaPattern, Pattern.compile(javaRegex, Pattern.DOTALL));
  }

  /** Returns the Lua pattern text. */
  public String pattern() {
    return luaPattern;
  }

  /** Returns the equivalent Java regular expression, to be used with {@link Matcher#find()}. */
  public Pattern toRegex() {
    return regex;
  }

  /**
   * Returns whether {@code text} contains a match, as Lua's {@code string.match(text, pattern)}
   * returning non-nil.
   */
  public boolean find(CharSequence text) {
    return regex.matcher(text).find();
  }

  @Override
  public String toString() {
    return luaPattern;
  }

  /** One pass over a Lua pattern, writing the Java regex. */
  private static final class Translator {
    private final String lua;
    private final StringBuilder out = new StringBuilder();
    private int pos;

    Translator(String lua) {
      this.lua = lua;
    }

    String translate() {
      if (lua.startsWith("^")) {
        out.append("\\A");
        pos = 1;
      }
      while (pos < lua.length()) {
        char c = lua.charAt(pos);
        if (c == '$' && pos == lua.length() - 1) {
          out.append("\\z");
          pos++;
        } else if (c == '(') {
          out.append('(');
          pos++;
        } else if (c == ')') {
          out.append(')');
          pos++;
        } else if (c == '%' && pos + 1 < lua.length() && lua.charAt(pos + 1) == 'b') {
          throw malformed("balanced matches (%b) cannot be checked outside Lua");
        } else if (c == '%' && pos + 1 < lua.length() && lua.charAt(pos + 1) == 'f') {
          pos += 2;
          if (pos >= lua.length() || lua.charAt(pos) != '[') {
            throw malformed("missing '[' after '%f'");
          }
          frontier(readSet());
        } else if (c == '%' && pos + 1 < lua.length() && Character.isDigit(lua.charAt(pos + 1))) {
          char digit = lua.charAt(pos + 1);
          if (digit == '0') {
            throw malformed("invalid capture index %0");
          }
          out.append('\\').append(digit);
          pos += 2;
        } else {
          out.append(readSingle().render());
          quantifier();
        }
      }
      try {
        Pattern.compile(out.toString());
      } catch (RuntimeException e) {
        throw malformed("unbalanced captures or invalid structure");
      }
      return out.toString();
    }

    private void quantifier() {
      if (pos >= lua.length()) {
        return;
      }
      switch (lua.charAt(pos)) {
        case '*' -> out.append('*');
        case '+' -> out.append('+');
        case '-' -> out.append("*?");
        case '?' -> out.append('?');
        default -> {
          return;
        }
      }
      pos++;
    }

    private void frontier(CharSet set) {
      boolean nulInSet = set.contains(0);
      if (nulInSet) {
        out.append("(?<=").append(set.complement().render()).append(')');
        out.append("(?=").append(set.render()).append("|\\z)");
      } else {
        out.append("(?<!").append(set.render()).append(')');
        out.append("(?=").append(set.render()).append(')');
      }
    }

    /** A single character class: {@code .}, {@code %x}, {@code [set]} or a literal character. */
    private CharSet readSingle() {
      char c = lua.charAt(pos);
      if (c == '.') {
        pos++;
        return CharSet.range(0, MAX_CODE_POINT);
      }
      if (c == '%') {
        if (pos + 1 >= lua.length()) {
          throw malformed("pattern ends with '%'");
        }
        pos += 2;
        return escape(lua.charAt(pos - 1));
      }
      if (c == '[') {
        return readSet();
      }
      int codePoint = lua.codePointAt(pos);
      pos += Character.charCount(codePoint);
      return CharSet.range(codePoint, codePoint);
    }

    private CharSet readSet() {
      int start = pos;
      pos++; // '['
      boolean negated = false;
      if (pos < lua.length() && lua.charAt(pos) == '^') {
        negated = true;
        pos++;
      }
      CharSet set = CharSet.empty();
      boolean first = true;
      while (true) {
        if (pos >= lua.length()) {
          throw malformed("missing ']' for the set at " + (start + 1));
        }
        char c = lua.charAt(pos);
        if (c == ']' && !first) {
          pos++;
          break;
        }
        first = false;
        if (c == '%') {
          if (pos + 1 >= lua.length()) {
            throw malformed("pattern ends with '%'");
          }
          set = set.union(escape(lua.charAt(pos + 1)));
          pos += 2;
          continue;
        }
        int low = lua.codePointAt(pos);
        pos += Character.charCount(low);
        if (pos + 1 < lua.length() && lua.charAt(pos) == '-' && lua.charAt(pos + 1) != ']') {
          int high = lua.codePointAt(pos + 1);
          pos += 1 + Character.charCount(high);
          set = set.union(CharSet.range(low, high));
        } else {
          set = set.union(CharSet.range(low, low));
        }
      }
      return negated ? set.complement() : set;
    }

    private CharSet escape(char c) {
      CharSet set =
          switch (Character.toLowerCase(c)) {
            case 'a' -> CharSet.range('A', 'Z').union(CharSet.range('a', 'z'));
            case 'c' -> CharSet.range(0, 0x1F).union(CharSet.range(0x7F, 0x7F));
            case 'd' -> CharSet.range('0', '9');
            case 'g' -> CharSet.range('!', '~');
            case 'l' -> CharSet.range('a', 'z');
            case 'p' ->
                CharSet.range('!', '/')
                    .union(CharSet.range(':', '@'))
                    .union(CharSet.range('[', '`'))
                    .union(CharSet.range('{', '~'));
            case 's' -> CharSet.range('\t', '\r').union(CharSet.range(' ', ' '));
            case 'u' -> CharSet.range('A', 'Z');
            case 'w' ->
                CharSet.range('0', '9').union(CharSet.range('A', 'Z')).union(CharSet.range('a', 'z'));
            case 'x' ->
                CharSet.range('0', '9').union(CharSet.range('A', 'F')).union(CharSet.range('a', 'f'));
            case 'z' -> CharSet.range(0, 0);
            default -> null;
          };
      if (set == null) {
        if (Character.isLetterOrDigit(c)) {
          throw malformed("unknown class '%" + c + "'");
        }
        return CharSet.range(c, c);
      }
      return Character.isUpperCase(c) ? set.complement() : set;
    }

    private IllegalArgumentException malformed(String reason) {
      return new IllegalArgumentException("malformed Lua pattern '" + lua + "': " + reason);
    }
  }

  /** A set of code points as sorted, disjoint, non-adjacent closed ranges. */
  private record CharSet(List<int[]> ranges) {

    static CharSet empty() {
      return new CharSet(List.of());
    }

    static CharSet range(int low, int high) {
      if (low > high) {
        return empty();
      }
      List<int[]> ranges = new ArrayList<>();
      ranges.add(new int[] {low, high});
      return new CharSet(ranges);
    }

    boolean contains(int codePoint) {
      for (int[] range : ranges) {
        if (range[0] <= codePoint && codePoint <= range[1]) {
          return true;
        }
      }
      return false;
    }

    CharSet union(CharSet other) {
      List<int[]> all = new ArrayList<>(ranges);
      all.addAll(other.ranges);
      all.sort((a, b) -> Integer.compare(a[0], b[0]));
      List<int[]> merged = new ArrayList<>();
      for (int[] range : all) {
        int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
        if (last != null && range[0] <= last[1] + 1) {
          last[1] = Math.max(last[1], range[1]);
        } else {
          merged.add(new int[] {range[0], range[1]});
        }
      }
      return new CharSet(merged);
    }

    CharSet complement() {
      List<int[]> result = new ArrayList<>();
      int next = 0;
      for (int[] range : ranges) {
        if (range[0] > next) {
          result.add(new int[] {next, range[0] - 1});
        }
        next = range[1] + 1;
      }
      if (next <= MAX_CODE_POINT) {
        result.add(new int[] {next, MAX_CODE_POINT});
      }
      return new CharSet(result);
    }

    /** A Java character class; an empty set becomes a class that matches nothing. */
    String render() {
      if (ranges.isEmpty()) {
        return "(?!)";
      }
      StringBuilder text = new StringBuilder("[");
      for (int[] range : ranges) {
        text.append(codePoint(range[0]));
        if (range[1] != range[0]) {
          text.append('-').append(codePoint(range[1]));
        }
      }
      return text.append(']').toString();
    }

    private static String codePoint(int codePoint) {
      return "\\x{" + Integer.toHexString(codePoint) + "}";
    }
  }
}
