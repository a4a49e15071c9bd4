package dev.berth.cli.internal.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedLinesTest {

  private static List<String> lines(String text, int max) throws Exception {
    List<String> out = new ArrayList<>();
    BoundedLines.forEach(new StringReader(text), max, out::add);
    return out;
  }

  @Test
  void lines_asReadLineGivesThem_crlfAndALastLineWithoutNewline() throws Exception {
    assertThat(lines("one\ntwo\r\n\nlast", 100)).containsExactly("one", "two", "", "last");
  }

  @Test
  void aLineLongerThanTheBound_comesInPieces_neverLongerThanIt() throws Exception {
    String endless = "x".repeat(25);
    assertThat(lines(endless + "\nafter\n", 10)).containsExactly("x".repeat(10), "x".repeat(10), "x".repeat(5), "after");
  }
}
