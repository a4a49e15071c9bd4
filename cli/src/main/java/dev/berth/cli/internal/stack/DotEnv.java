package dev.berth.cli.internal.stack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code .env} beside a Procfile, read as foreman reads it, so that a foreman user's
 * variables reach the same processes: {@code KEY=value} lines; {@code 'single'} quotes are
 * removed, {@code "double"} quotes too, with {@code \n} as a line break and {@code \x} as
 * {@code x}; any other line (a comment, a blank) is skipped, as foreman skips it.
 *
 * <p>The values are literal: a {@code ${...}} in them is escaped so that {@link EnvTemplate}
 * leaves it as written, as foreman does.
 *
 * <p>Thread-safe (stateless).
 */
final class DotEnv {

  static final String NAME = ".env";

  private static final Pattern LINE = Pattern.compile("([A-Za-z_0-9]+)=(.*)");

  private DotEnv() {}

  static Map<String, String> parse(String text) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : text.replace("\r\n", "\n").split("\n", -1)) {
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      String value = m.group(2);
      if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
        value = value.substring(1, value.length() - 1);
      } else if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = unescape(value.substring(1, value.length() - 1));
      }
      env.put(m.group(1), value.replace("${", "$${"));
    }
    return env;
  }

  /** foreman's {@code gsub('\n', "\n").gsub(/\\(.)/, '\1')}. */
  private static String unescape(String quoted) {
    String s = quoted.replace("\\n", "\n");
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) != '\n') {
        out.append(s.charAt(++i));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
