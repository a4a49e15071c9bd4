package dev.berth.cli.internal.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LocalhostOrderTest {

  @Test
  void parseGetent_eachAddressOnceInItsOrder() {
    String out = String.join("\n",
        "::1             STREAM localhost",
        "::1             DGRAM  ",
        "::1             RAW    ",
        "127.0.0.1       STREAM ",
        "127.0.0.1       DGRAM  ",
        "");

    assertThat(LocalhostOrder.parseGetent(out)).containsExactly("::1", "127.0.0.1");
  }

  @Test
  void parseHosts_linesNamingLocalhost_inFileOrder_commentsAndOtherNamesIgnored() {
    List<String> hosts = List.of(
        "# ::1 localhost (a comment)",
        "127.0.1.1 myhost",
        "127.0.0.1 localhost",
        "::1 ip6-localhost ip6-loopback localhost",
        "fe80::1%lo0 localhost",
        "127.0.0.1 localhost.localdomain localhost");

    assertThat(LocalhostOrder.parseHosts(hosts)).containsExactly("127.0.0.1", "::1");
  }

  @Test
  void javaFirst_isTheFirstIpv4Address_elseTheFirst() {
    assertThat(LocalhostCheck.javaFirst(List.of("::1", "127.0.0.1"))).isEqualTo("127.0.0.1");
    assertThat(LocalhostCheck.javaFirst(List.of("::1"))).isEqualTo("::1");
  }
}
