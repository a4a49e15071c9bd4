package dev.berth.local.internal;

/**
 * Quoting for the few JSON strings Berth writes by hand (RFC 8259, section 7): the CLI's
 * {@code --json} output and the registry's query view, which must quote alike. Names are DNS
 * labels, but a Unix socket path may hold anything.
 */
public final class JsonText {

  private JsonText() {}

  public static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        default:
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    return out.append('"').toString();
  }
}
