package dev.berth.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The one {@code host:port} text of the CLI's HTTP side: URLs, Host headers, messages. */
class ViewClientTest {

  @Test
  void hostAndPort_v4Plain_v6Bracketed() throws Exception {
    assertThat(ViewClient.hostAndPort(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080)))
        .isEqualTo("127.0.0.1:8080");
    assertThat(ViewClient.hostAndPort(new InetSocketAddress(InetAddress.getByName("::1"), 8080)))
        .isEqualTo("[0:0:0:0:0:0:0:1]:8080");
    assertThat(DashboardSignIn.pageUrl(new InetSocketAddress(InetAddress.getByName("::1"), 8080)))
        .isEqualTo("http://[0:0:0:0:0:0:0:1]:8080/dashboard/");
  }
}
