package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check of a unix_path endpoint on a system without /proc: a connect is all it has. */
class UnixSocketCheckTest {

  @TempDir Path noProc;
  @TempDir Path sockets;

  @Test
  void verify_withoutProc_acceptsAPathThatAnswersAConnect() throws Exception {
    Path path = sockets.resolve("orders.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(path));

      assertThatCode(() -> new UnixSocketCheck(noProc).verify("ready", "main", path.toString(), 0))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void verify_withoutProc_refusesAPathNothingListensOn() {
    String path = sockets.resolve("gone.sock").toString();

    assertThatThrownBy(() -> new UnixSocketCheck(noProc).verify("ready", "main", path, 42))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode())
              .isEqualTo(Status.Code.FAILED_PRECONDITION);
          assertThat(e.getStatus().getDescription())
              .contains("\"" + path + "\"", "nothing listens", "pid 42 or a descendant");
        });
  }
}
