package dev.kongpdk.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Request paths as Kong's {@code kong.request.get_path} normalises them. */
public final class Paths {

  private Paths() {}

  /** Kong's path normalisation: decodes unreserved escapes, merges slashes, removes dot segments. */
  public static String normalize(String raw) {
    StringBuilder decoded = new StringBuilder();
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()) {
        try {
          int code = Integer.parseInt(raw.substring(i + 1, i + 3), 16);
          if (Character.isLetterOrDigit(code) && code < 128 || "-._~".indexOf(code) >= 0) {
            decoded.append((char) code);
            i += 2;
            continue;
          }
          decoded.append('%').append(raw.substring(i + 1, i + 3).toUpperCase(Locale.ROOT));
          i += 2;
          continue;
        } catch (NumberFormatException e) {
          // not an escape: keep it
        }
      }
      decoded.append(c);
    }
    List<String> out = new ArrayList<>();
    String[] segments = decoded.toString().split("/+", -1);
    for (int i = 1; i < segments.length; i++) {
      String s = segments[i];
      if (s.equals(".")) {
        if (i == segments.length - 1) {
          out.add("");
        }
      } else if (s.equals("..")) {
        if (!out.isEmpty()) {
          out.remove(out.size() - 1);
        }
        if (i == segments.length - 1) {
          out.add("");
        }
      } else {
        out.add(s);
      }
    }
    return "/" + String.join("/", out);
  }
}
