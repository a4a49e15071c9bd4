package dev.berth.cli.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON the registry's query view writes (RFC 8259) into plain values: objects as
 * {@code Map<String, Object>} in their order, arrays as {@code List<Object>}, strings, numbers as
 * {@code Long} (or {@code Double} when not integral), booleans and null. For the CLI's fast path,
 * which must not load a JSON library; protobuf's {@code JsonFormat} is in the big jar.
 * Not thread-safe (one instance per text).
 */
final class ViewJson {

  private final String s;
  private int i;

  private ViewJson(String s) {
    this.s = s;
  }

  /** The value {@code text} holds. @throws IllegalArgumentException it is not JSON */
  static Object parse(String text) {
    ViewJson json = new ViewJson(text);
    Object value = json.value();
    json.skipSpace();
    if (json.i != text.length()) {
      throw json.error("end of text");
    }
    return value;
  }

  private Object value() {
    skipSpace();
    if (i >= s.length()) {
      throw error("a value");
    }
    char c = s.charAt(i);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return string();
      case 't':
        return word("true", Boolean.TRUE);
      case 'f':
        return word("false", Boolean.FALSE);
      case 'n':
        return word("null", null);
      default:
        return number();
    }
  }

  private Map<String, Object> object() {
    Map<String, Object> object = new LinkedHashMap<>();
    i++; // {
    skipSpace();
    if (peek() == '}') {
      i++;
      return object;
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw error("a string key");
      }
      String key = string();
      skipSpace();
      expect(':');
      object.put(key, value());
      skipSpace();
      if (peek() == ',') {
        i++;
      } else {
        expect('}');
        return object;
      }
    }
  }

  private List<Object> array() {
    List<Object> array = new ArrayList<>();
    i++; // [
    skipSpace();
    if (peek() == ']') {
      i++;
      return array;
    }
    while (true) {
      array.add(value());
      skipSpace();
      if (peek() == ',') {
        i++;
      } else {
        expect(']');
        return array;
      }
    }
  }

  private String string() {
    i++; // "
    StringBuilder out = new StringBuilder();
    while (true) {
      if (i >= s.length()) {
        throw error("a closing quote");
      }
      char c = s.charAt(i++);
      if (c == '"') {
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (i >= s.length()) {
        throw error("an escape");
      }
      char e = s.charAt(i++);
      switch (e) {
        case '"': case '\\': case '/': out.append(e); break;
        case 'b': out.append('\b'); break;
        case 'f': out.append('\f'); break;
        case 'n': out.append('\n'); break;
        case 'r': out.append('\r'); break;
        case 't': out.append('\t'); break;
        case 'u':
          if (i + 4 > s.length()) {
            throw error("four hex digits");
          }
          try {
            out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          } catch (NumberFormatException x) {
            throw error("four hex digits");
          }
          i += 4;
          break;
        default:
          throw error("an escape");
      }
    }
  }

  private Object number() {
    int start = i;
    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
    String text = s.substring(start, i);
    try {
      return text.matches("-?[0-9]+") ? (Object) Long.parseLong(text) : (Object) Double.parseDouble(text);
    } catch (NumberFormatException e) {
      i = start;
      throw error("a value");
    }
  }

  private Object word(String word, Object value) {
    if (!s.startsWith(word, i)) {
      throw error("a value");
    }
    i += word.length();
    return value;
  }

  private char peek() {
    return i < s.length() ? s.charAt(i) : '\0';
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("'" + c + "'");
    }
    i++;
  }

  private void skipSpace() {
    while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
  }

  private IllegalArgumentException error(String expected) {
    return new IllegalArgumentException("JSON at offset " + i + " (expected: " + expected + ")");
  }
}
