package dev.berth.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one JSON string quoting of the CLI's --json output and the registry's query view. */
class JsonTextTest {

  @Test
  void quote_escapesQuotesBackslashesAndControls() {
    assertThat(JsonText.quote("a\"b\\c\n\u0001")).isEqualTo("\"a\\\"b\\\\c\\n\\u0001\"");
  }

  @Test
  void quote_escapesTheLineSeparatorsJavaScriptTakesForNewlines() {
    assertThat(JsonText.quote("/tmp/x\u2028y\u2029")).isEqualTo("\"/tmp/x\\u2028y\\u2029\"");
  }
}
