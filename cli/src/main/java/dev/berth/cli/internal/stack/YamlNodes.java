package dev.berth.cli.internal.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Typed reads of one stack file's YAML node tree, each failing with a {@link StackFileException}
 * at the line and column of the node that is wrong. The node tree (not the plain maps a YAML
 * loader builds) is what keeps those marks.
 *
 * <p>Confined to the thread reading the file.
 */
final class YamlNodes {

  /** A key of a map with its value, the key's text already read. */
  record Entry(String key, ScalarNode keyNode, Node value) {}

  private final Path file;

  YamlNodes(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  SourceMark mark(Node node) {
    return node.getStartMark().map(this::mark).orElse(new SourceMark(file, 1, 1));
  }

  SourceMark mark(Mark mark) {
    return new SourceMark(file, mark.getLine() + 1, mark.getColumn() + 1);
  }

  StackFileException error(Node node, String message) {
    return new StackFileException(mark(node), message);
  }

  /**
   * The entries of a map, in the file's order; a key written twice is an error at the second,
   * as is a key that is not a plain string.
   */
  List<Entry> map(Node node, String what, String expected) {
    if (!(node instanceof MappingNode mapping)) {
      throw error(node, what + ": " + describe(node) + " (expected: " + expected + ")");
    }
    List<Entry> entries = new ArrayList<>();
    Map<String, ScalarNode> seen = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode key) || key.getTag().equals(Tag.NULL)) {
        throw error(keyNode, what + ": a key that is " + describe(keyNode) + " (expected: a name)");
      }
      ScalarNode first = seen.putIfAbsent(key.getValue(), key);
      if (first != null) {
        SourceMark at = mark(first);
        throw error(key, what + ": duplicate key '" + key.getValue() + "' (first at line " + at.line()
            + ", column " + at.column() + "; keep one)");
      }
      entries.add(new Entry(key.getValue(), key, tuple.getValueNode()));
    }
    return entries;
  }

  List<Node> list(Node node, String what, String expected) {
    if (!(node instanceof SequenceNode sequence)) {
      throw error(node, what + ": " + describe(node) + " (expected: " + expected + ")");
    }
    return sequence.getValue();
  }

  /** A scalar's text: a string, or a number or boolean as written; null and collections fail. */
  String text(Node node, String what, String expected) {
    if (!(node instanceof ScalarNode scalar) || scalar.getTag().equals(Tag.NULL)) {
      throw error(node, what + ": " + describe(node) + " (expected: " + expected + ")");
    }
    return scalar.getValue();
  }

  /** A non-empty scalar's text. */
  String nonEmpty(Node node, String what, String expected) {
    String text = text(node, what, expected);
    if (text.isBlank()) {
      throw error(node, what + ": empty (expected: " + expected + ")");
    }
    return text;
  }

  int integer(Node node, String what, String expected) {
    if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.INT)) {
      try {
        return Integer.parseInt(scalar.getValue().replace("_", ""));
      } catch (NumberFormatException e) {
        // 0x10, 0o7 or a number past int: said below like any other wrong value
      }
    }
    throw error(node, what + ": " + describe(node) + " (expected: " + expected + ")");
  }

  boolean isTrue(Node node) {
    return node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.BOOL)
        && scalar.getValue().equalsIgnoreCase("true");
  }

  /** What a node is, for "found X (expected: Y)": {@code a map}, {@code 'abc'}, {@code 42}. */
  static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "a map";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    ScalarNode scalar = (ScalarNode) node;
    if (scalar.getTag().equals(Tag.NULL)) {
      return "empty";
    }
    if (scalar.getTag().equals(Tag.STR)) {
      return "'" + shown(scalar.getValue()) + "'";
    }
    return shown(scalar.getValue());
  }

  /** A value as a message shows it: on one line, line breaks as {@code \n}, at most 60 characters. */
  static String shown(String value) {
    String one = value.replace("\r", "").replace("\n", "\\n");
    return one.length() <= 60 ? one : one.substring(0, 57) + "...";
  }
}
