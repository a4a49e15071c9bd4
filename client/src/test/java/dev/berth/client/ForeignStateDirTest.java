package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client never hands on a token from a state dir, or a token, that is not the user's own. */
class ForeignStateDirTest {

  private static final int OTHER_UID = 65534;

  @TempDir Path temp;
  private ServerSocket listener;
  private final AtomicInteger accepted = new AtomicInteger();

  @BeforeEach
  void listen() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (true) {
        try (Socket s = listener.accept()) {
          accepted.incrementAndGet();
        } catch (IOException e) {
          return;
        }
      }
    }, "listener");
    t.setDaemon(true);
    t.start();
  }

  @AfterEach
  void close() throws IOException {
    listener.close();
  }

  @Test
  void build_onADirOfAnotherUser_failsNamingItAndSendsNothing() throws Exception {
    Path dir = Files.createDirectory(temp.resolve("theirs"));
    Path token = Files.writeString(dir.resolve("token"), "ab".repeat(32) + "\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    chownOrSkip(token);
    chownOrSkip(dir);

    assertThatThrownBy(() -> Berth.builder().stateDir(dir).registry("127.0.0.1:" + listener.getLocalPort()).build())
        .isInstanceOfSatisfying(BerthException.class,
            e -> assertThat(e.status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION))
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("uid " + OTHER_UID)
        .hasMessageContaining("mode 0777");
    assertThat(accepted).hasValue(0);
  }

  @Test
  void build_withATokenReadableByOthers_failsNamingItAndSendsNothing() throws Exception {
    Path dir = Files.createDirectory(temp.resolve("berth"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path token = Files.writeString(dir.resolve("token"), "ab".repeat(32) + "\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> Berth.builder().stateDir(dir).registry("127.0.0.1:" + listener.getLocalPort()).build())
        .isInstanceOfSatisfying(BerthException.class,
            e -> assertThat(e.status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION))
        .hasMessageContaining(token.toString())
        .hasMessageContaining("mode 0644");
    assertThat(accepted).hasValue(0);
  }

  private static void chownOrSkip(Path path) {
    try {
      Files.setAttribute(path, "unix:uid", OTHER_UID);
    } catch (IOException | UnsupportedOperationException e) {
      Assumptions.abort("cannot chown " + path + " to uid " + OTHER_UID + ": " + e);
    }
  }
}
