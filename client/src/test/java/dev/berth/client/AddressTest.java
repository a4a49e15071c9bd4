package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AddressTest {

  @Test
  void textForm_roundTripsForEveryKind() {
    for (String text : new String[] {"127.0.0.1:40001", "[::1]:40001", "127.1.2.3:1", "unix:/run/berth/orders.sock"}) {
      assertThat(Address.parse(text).toString()).isEqualTo(text);
      assertThat(Address.parse(text)).isEqualTo(Address.parse(text)).hasSameHashCodeAs(Address.parse(text));
    }
  }

  @Test
  void tcp_acceptsBracketedAndLongIpv6Loopback_andPrintsBrackets() {
    assertThat(Address.tcp("[::1]", 5).host()).isEqualTo("::1");
    assertThat(Address.tcp("0:0:0:0:0:0:0:1", 5)).isEqualTo(Address.tcp("::1", 5));
    assertThat(Address.tcp("::1", 5)).hasToString("[::1]:5");
  }

  @Test
  void tcp_refusesWhatIsNotLoopbackOrNotALiteral() {
    for (String host : new String[] {"0.0.0.0", "10.0.0.1", "localhost", "::", "127.0.0.256", "127.0.0", "127.00.0.1", ""}) {
      assertThatThrownBy(() -> Address.tcp(host, 80))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("host: '" + host + "' (expected: a loopback IP literal, 127.0.0.1 or ::1)");
    }
    assertThatThrownBy(() -> Address.tcp("127.0.0.1", 0)).hasMessage("port: 0 (expected: 1..65535)");
    assertThatThrownBy(() -> Address.tcp("127.0.0.1", 65536)).hasMessage("port: 65536 (expected: 1..65535)");
  }

  @Test
  void parse_namesTheTextAndTheFormsExpected() {
    for (String text : new String[] {"40001", ":40001", "127.0.0.1:", "::1:80", "127.0.0.1:http", "orders"}) {
      assertThatThrownBy(() -> Address.parse(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("address: '" + text + "' (expected: 127.0.0.1:PORT, [::1]:PORT or unix:/absolute/path)");
    }
    assertThatThrownBy(() -> Address.parse("10.1.1.1:80"))
        .hasMessage("address: '10.1.1.1:80': host: '10.1.1.1' (expected: a loopback IP literal, 127.0.0.1 or ::1)");
    assertThatThrownBy(() -> Address.parse("unix:relative.sock"))
        .hasMessage("unix socket path: 'relative.sock' (expected: an absolute path)");
  }

  @Test
  void unix_refusesAPathTheKernelCannotBind() {
    String longPath = "/" + "d".repeat(Address.MAX_UNIX_PATH_BYTES);
    assertThatThrownBy(() -> Address.unix(Path.of(longPath)))
        .hasMessage("unix socket path: '" + longPath + "' is 108 bytes (expected: at most 107)");
    assertThat(Address.unix(Path.of("/" + "d".repeat(Address.MAX_UNIX_PATH_BYTES - 1))).isUnix()).isTrue();
  }

  @Test
  void accessors_sayWhichKindTheyNeed() {
    Address unix = Address.unix(Path.of("/tmp/a.sock"));
    assertThat(unix.socketAddress()).isEqualTo(UnixDomainSocketAddress.of("/tmp/a.sock"));
    assertThatThrownBy(unix::port)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("port() of unix:/tmp/a.sock (expected: a TCP address; use path())");
    Address tcp = Address.loopback(40001);
    assertThat(tcp.socketAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", 40001));
    assertThat(tcp.inetSocketAddress().isUnresolved()).isFalse();
    assertThatThrownBy(tcp::path).hasMessage("path() of 127.0.0.1:40001 (expected: a unix: address)");
    assertThat(tcp).isNotEqualTo(Address.tcp("::1", 40001));
  }
}
