package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ProcSockets}' quick reads: only as much of {@code /proc} as the answer needs. */
class ProcSocketsTest {

  private static final String TCP_HEADER =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
  private static final String TCP6_HEADER =
      "  sl  local_address                         remote_address                        st ...";

  @TempDir Path proc;

  @Test
  void firstListener_returnsOnceItHasTheRow_withoutReadingTheTableToItsEnd() throws Exception {
    // a table that never ends (a FIFO its writer keeps open): a reader that wants the whole
    // table, as listeners() does, would wait here forever
    Files.createDirectories(proc.resolve("net"));
    Path tcp6 = proc.resolve("net/tcp6");
    Process mkfifo = new ProcessBuilder("mkfifo", tcp6.toString()).start();
    assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).isTrue();
    CountDownLatch done = new CountDownLatch(1);
    Thread writer = new Thread(() -> {
      try (OutputStream out = Files.newOutputStream(tcp6)) {
        out.write((TCP6_HEADER + "\n"
            + "   0: 0000000000000000FFFF00000100007F:1F90 00000000000000000000000000000000:0000 0A"
            + " 00000000:00000000 00:00000000 00000000  1000        0 4242 1\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        done.await(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        // the test ended
      }
    });
    writer.setDaemon(true);
    writer.start();
    try {
      ProcSockets sockets = new ProcSockets(proc);

      Optional<ProcessSockets.Listener> found = assertTimeoutPreemptively(Duration.ofSeconds(10),
          () -> sockets.firstListener(8080, l -> true));

      assertThat(found).hasValueSatisfying(l -> {
        assertThat(l.inode()).isEqualTo(4242);
        assertThat(l.holdsIpv4Loopback()).as("::ffff:127.0.0.1").isTrue();
      });
    } finally {
      done.countDown();
      writer.join(10_000);
    }
  }

  @Test
  void firstListener_looksAtIpv6ThenIpv4_andLeavesATableAtItsFirstRowNotListening()
      throws Exception {
    Files.createDirectories(proc.resolve("net"));
    Files.writeString(proc.resolve("net/tcp6"), String.join("\n", TCP6_HEADER,
        "   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A"
            + " 00000000:00000000 00:00000000 00000000  1000        0 6001 1",
        "   1: 0000000000000000FFFF00000100007F:1F91 0000000000000000FFFF00000100007F:9C40 01"
            + " 00000000:00000000 00:00000000 00000000  1000        0 6002 1",
        // never LISTEN after an established row in a real table; not read
        "   2: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A"
            + " 00000000:00000000 00:00000000 00000000  1000        0 6003 1",
        ""));
    Files.writeString(proc.resolve("net/tcp"), String.join("\n", TCP_HEADER,
        "   0: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4001 1",
        "   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4002 1",
        ""));
    ProcSockets sockets = new ProcSockets(proc);

    assertThat(sockets.firstListener(8080, l -> true)).map(ProcessSockets.Listener::inode)
        .as("::1 in tcp6 comes first").hasValue(6001L);
    assertThat(sockets.firstListener(8080, ProcessSockets.Listener::holdsIpv4Loopback))
        .map(ProcessSockets.Listener::inode).as("tcp6 left at its established row, then tcp")
        .hasValue(4002L);
    assertThat(sockets.firstListener(8081, l -> true)).map(ProcessSockets.Listener::inode)
        .as("the established row on 8081 is no listener").hasValue(4001L);
    assertThat(sockets.firstListener(8082, l -> true)).isEmpty();
  }

  @Test
  void holds_findsTheSocketAmongTheProcesssDescriptors() throws Exception {
    Path fd = Files.createDirectories(proc.resolve("77/fd"));
    Files.createSymbolicLink(fd.resolve("0"), Path.of("pipe:[99]"));
    Files.createSymbolicLink(fd.resolve("3"), Path.of("socket:[4242]"));
    Files.createSymbolicLink(fd.resolve("12"), Path.of("socket:[4343]"));
    ProcSockets sockets = new ProcSockets(proc);

    assertThat(sockets.holds(77, 4242)).isTrue();
    assertThat(sockets.holds(77, 4343)).isTrue();
    assertThat(sockets.holds(77, 4444)).isFalse();
    assertThat(sockets.holds(78, 4242)).as("no such process").isFalse();
  }

  @Test
  void holdsIpv4Loopback_only127001AndTheWildcards() throws Exception {
    assertThat(listener("0100007F").holdsIpv4Loopback()).isTrue();
    assertThat(listener("00000000").holdsIpv4Loopback()).isTrue();
    assertThat(listener("00000000000000000000000000000000").holdsIpv4Loopback()).isTrue();
    assertThat(listener("0000000000000000FFFF00000100007F").holdsIpv4Loopback()).isTrue();
    // loopback, but a connect to 127.0.0.1 does not reach them
    assertThat(listener("0200007F").holdsIpv4Loopback()).isFalse();
    assertThat(listener("0000000000000000FFFF00000200007F").holdsIpv4Loopback()).isFalse();
    assertThat(listener("00000000000000000000000001000000").holdsIpv4Loopback()).as("::1").isFalse();
  }

  @Test
  void rowFields_readStateAndLocalPortOfBothTables() {
    String v4 = "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 4242 1";
    String v6 = "  10: 0000000000000000FFFF00000100007F:C350 0000000000000000FFFF00000100007F:9C40 01 0";

    assertThat(RowFields.state(v4)).isEqualTo(0x0A);
    assertThat(RowFields.localPort(v4)).isEqualTo(8080);
    assertThat(RowFields.state(v6)).isEqualTo(0x01);
    assertThat(RowFields.localPort(v6)).isEqualTo(50000);
    assertThat(RowFields.state("   0: garbage")).isEqualTo(-1);
    assertThat(RowFields.localPort("   0: nocolon x y")).isEqualTo(-1);
  }

  private static ProcessSockets.Listener listener(String hexAddress) throws Exception {
    return new ProcessSockets.Listener(ProcSockets.address(hexAddress), 8080, 1000, 1);
  }

  @Test
  void connectedSockets_areTheEstablishedRowsWhoseLocalPortItIs_ofBothTables() throws Exception {
    Files.createDirectories(proc.resolve("net"));
    Files.writeString(proc.resolve("net/tcp"), String.join("\n", TCP_HEADER,
        // LISTEN on 8080: not a connection
        "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4001 1",
        // accepted on 8080, from 127.0.0.1:40000: this one
        "   1: 0100007F:1F90 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 4002 1",
        // the debugger's end: remote port 8080, local 40000: not on 8080
        "   2: 0100007F:9C40 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 4003 1",
        // on 8080 but closing (TIME_WAIT, inode 0)
        "   3: 0100007F:1F90 0100007F:9C41 06 00000000:00000000 00:00000000 00000000     0        0 0 1",
        ""));
    Files.writeString(proc.resolve("net/tcp6"), String.join("\n", TCP6_HEADER,
        "   0: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:9C42 01"
            + " 00000000:00000000 00:00000000 00000000  1000        0 6001 1",
        ""));

    assertThat(new ProcSockets(proc).connectedSockets(8080))
        .extracting(ProcessSockets.Listener::inode).containsExactly(4002L, 6001L);
    assertThat(new ProcSockets(proc).connectedSockets(8080))
        .allSatisfy(l -> assertThat(l.holdsIpv4Loopback()).isTrue());
  }
}
