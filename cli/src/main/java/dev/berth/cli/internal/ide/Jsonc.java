package dev.berth.cli.internal.ide;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;

/**
 * JSON with comments, as VS Code writes and reads {@code launch.json}: {@code //} and
 * {@code /* *}{@code /} comments and trailing commas. Gson's lenient reader parses the comments;
 * it reads a trailing comma in an array as an extra null and refuses one before {@code }}, so
 * those commas are dropped first, by a scan that knows strings and comments apart. Stateless.
 */
public final class Jsonc {

  private Jsonc() {}

  /** A document that was read: its tree, and whether the text had comments (which a rewrite loses). */
  public record Parsed(JsonElement tree, boolean hadComments) {}

  /**
   * Parses {@code text}.
   *
   * @throws JsonParseException not JSON even so; the message says where (line and column)
   */
  public static Parsed parse(String text) {
    Scan scan = scan(text);
    JsonReader reader = new JsonReader(new StringReader(scan.text));
    reader.setStrictness(Strictness.LENIENT);
    JsonElement tree = JsonParser.parseReader(reader);
    try {
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new JsonParseException("more after the document's end at " + reader.getPath());
      }
    } catch (IOException e) {
      throw new JsonParseException(e.getMessage(), e);
    }
    return new Parsed(tree, scan.comments);
  }

  private record Scan(String text, boolean comments) {}

  /** {@code text} without its trailing commas, and whether it has comments. */
  private static Scan scan(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean comments = false;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '"') {
        int end = stringEnd(text, i);
        out.append(text, i, end);
        i = end - 1;
      } else if (c == '/' && i + 1 < n && (text.charAt(i + 1) == '/' || text.charAt(i + 1) == '*')) {
        int end = commentEnd(text, i);
        comments = true;
        out.append(text, i, end);
        i = end - 1;
      } else if (c == ',' && closesNext(text, i + 1)) {
        continue; // a trailing comma
      } else {
        out.append(c);
      }
    }
    return new Scan(out.toString(), comments);
  }

  /** Whether the next thing after {@code from}, past blanks and comments, is '}' or ']'. */
  private static boolean closesNext(String text, int from) {
    int i = from;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '/' && i + 1 < text.length() && (text.charAt(i + 1) == '/' || text.charAt(i + 1) == '*')) {
        i = commentEnd(text, i);
      } else {
        return c == '}' || c == ']';
      }
    }
    return false;
  }

  /** The index after the string starting at {@code start} (a '"'), or the text's end if it never ends. */
  private static int stringEnd(String text, int start) {
    for (int i = start + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return i + 1;
      }
    }
    return text.length();
  }

  /** The index after the comment starting at {@code start}. */
  private static int commentEnd(String text, int start) {
    if (text.charAt(start + 1) == '/') {
      int nl = text.indexOf('\n', start);
      return nl < 0 ? text.length() : nl;
    }
    int close = text.indexOf("*/", start + 2);
    return close < 0 ? text.length() : close + 2;
  }
}
