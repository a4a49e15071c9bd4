package dev.berth.cli.internal.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cli.internal.stack.EnvTemplate.Part;
import dev.berth.cli.internal.stack.EnvTemplate.Ref;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class EnvTemplateTest {

  static final Map<String, String> ADDRESSES = Map.of(
      "orders/main", "127.0.0.1:61001",
      "gateway/http", "127.0.0.1:61002",
      "v6/main", "[::1]:61003");

  static final Function<Ref, String> LIVE = ref -> {
    String address = ADDRESSES.get(ref.service() + "/" + ref.endpoint());
    if (address == null) {
      throw new IllegalArgumentException("no " + ref);
    }
    return address;
  };

  @Test
  void references_eachForm_inOrder() {
    assertThat(EnvTemplate.references(
        "${orders} ${gateway/http} ${gateway/http.port} ${gateway/http.host} ${gateway/http.url} ${x.port}"))
        .containsExactly(
            new Ref("orders", "main", Part.ADDRESS),
            new Ref("gateway", "http", Part.ADDRESS),
            new Ref("gateway", "http", Part.PORT),
            new Ref("gateway", "http", Part.HOST),
            new Ref("gateway", "http", Part.URL),
            new Ref("x", "main", Part.PORT));
  }

  @Test
  void ref_text_isTheShortestSpelling() {
    assertThat(EnvTemplate.references("${orders/main.port} ${gateway/http} ${x.url}"))
        .extracting(Ref::text).containsExactly("${orders.port}", "${gateway/http}", "${x.url}");
  }

  @Test
  void references_shellVariablesAndEscapes_areNotReferences() {
    assertThat(EnvTemplate.references("$HOME/$USER $${orders} $$ $ {x} price: 5$")).isEmpty();
  }

  @Test
  void expand_ipv4() {
    assertThat(EnvTemplate.expand("${orders}", LIVE)).isEqualTo("127.0.0.1:61001");
    assertThat(EnvTemplate.expand("${gateway/http}", LIVE)).isEqualTo("127.0.0.1:61002");
    assertThat(EnvTemplate.expand("${gateway/http.port}", LIVE)).isEqualTo("61002");
    assertThat(EnvTemplate.expand("${gateway/http.host}", LIVE)).isEqualTo("127.0.0.1");
    assertThat(EnvTemplate.expand("${gateway/http.url}/api", LIVE)).isEqualTo("http://127.0.0.1:61002/api");
    assertThat(EnvTemplate.expand("${orders.url}", LIVE)).isEqualTo("http://127.0.0.1:61001");
  }

  @Test
  void expand_ipv6_bracketsOnlyWhereAnAddressNeedsThem() {
    assertThat(EnvTemplate.expand("${v6}", LIVE)).isEqualTo("[::1]:61003");
    assertThat(EnvTemplate.expand("${v6.host}", LIVE)).isEqualTo("::1");
    assertThat(EnvTemplate.expand("${v6.port}", LIVE)).isEqualTo("61003");
    assertThat(EnvTemplate.expand("${v6.url}", LIVE)).isEqualTo("http://[::1]:61003");
  }

  @Test
  void expand_mixedText_keepsTheRest() {
    assertThat(EnvTemplate.expand("postgres://u@${orders.host}:${orders.port}/db?x=$HOME&y=$${orders}",
        LIVE)).isEqualTo("postgres://u@127.0.0.1:61001/db?x=$HOME&y=${orders}");
    assertThat(EnvTemplate.expand("no refs at all", LIVE)).isEqualTo("no refs at all");
    assertThat(EnvTemplate.expand("", LIVE)).isEmpty();
  }

  @Test
  void expand_escapedThenReference() {
    assertThat(EnvTemplate.expand("$${orders}${orders}", LIVE)).isEqualTo("${orders}127.0.0.1:61001");
  }

  @Test
  void malformed_unterminated() {
    assertThatThrownBy(() -> EnvTemplate.references("a ${orders b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'${orders b': no closing '}' (expected: " + EnvTemplate.SHAPE + "; write $${ for a literal ${)");
  }

  @Test
  void malformed_empty_badNames_badPart() {
    assertThatThrownBy(() -> EnvTemplate.references("${}"))
        .hasMessage("'${}': '' is not a service name (expected: " + EnvTemplate.SHAPE + ")");
    assertThatThrownBy(() -> EnvTemplate.references("${HOME}"))
        .hasMessage("'${HOME}': 'HOME' is not a service name (expected: " + EnvTemplate.SHAPE + ")");
    assertThatThrownBy(() -> EnvTemplate.references("${orders/}"))
        .hasMessage("'${orders/}': '' is not an endpoint name (expected: " + EnvTemplate.SHAPE + ")");
    assertThatThrownBy(() -> EnvTemplate.references("${orders/a/b}"))
        .hasMessage("'${orders/a/b}': 'a/b' is not an endpoint name (expected: " + EnvTemplate.SHAPE + ")");
    assertThatThrownBy(() -> EnvTemplate.references("${orders.address}"))
        .hasMessage("'${orders.address}': unknown part '.address' (expected: " + EnvTemplate.SHAPE + ")");
    assertThatThrownBy(() -> EnvTemplate.references("${orders.port.x}"))
        .hasMessage("'${orders.port.x}': unknown part '.port.x' (expected: " + EnvTemplate.SHAPE + ")");
  }

  @Test
  void expand_addressNotHostPort_isRefused() {
    assertThatThrownBy(() -> EnvTemplate.expand("${orders.port}", ref -> "localhost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("address: 'localhost' (expected: host:port or [v6]:port)");
  }

  @Test
  void expand_failingLookup_propagates() {
    assertThatThrownBy(() -> EnvTemplate.expand("${payments}", LIVE)).hasMessageContaining("payments");
  }
}
