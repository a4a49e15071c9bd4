package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoopbackHostTest {

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "LocalHost:8080", "app.localhost", "a.b.localhost:1",
      "localhost.", "127.0.0.1", "127.0.0.1:61000", "127.255.255.254", "127.1.2.3:80", "[::1]",
      "[::1]:61000", "[0:0:0:0:0:0:0:1]:8080", "localhost:65535"})
  void isLoopback_acceptsLoopbackNamesAndAddresses(String host) {
    assertThat(LoopbackHost.isLoopback(host)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "evil.example", "evil.example:61000", "127.0.0.1.nip.io",
      "127.0.0.1.nip.io:61000", "localhost.evil.example", "evillocalhost", "-x.localhost",
      "a..localhost", "128.0.0.1", "127.0.0.256", "10.0.0.1", "0.0.0.0", "[::]", "[::2]",
      "[::ffff:10.0.0.1]", "::1", "[::1", "127.0.0.1:99999", "127.0.0.1:", "127.0.0.1:x",
      "localhost:80:80", "user@localhost", "localhost/", "[7f00.1]", "2130706433",
      "localhost 127.0.0.1"})
  void isLoopback_refusesEverythingElse(String host) {
    assertThat(LoopbackHost.isLoopback(host)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"[deadbeef]", "[cafe]", "[1.2.3.4]", "[::1%lo]"})
  void isLoopback_ofBracketedTextThatIsNoIpv6Literal_isFalse(String host) {
    assertThat(LoopbackHost.isLoopback(host)).isFalse();
  }
}
