package dev.berth.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * A client process for the auto-start test: connects with auto-start on STATE_DIR, holds a
 * lease as service NAME and prints {@code live} once visible.
 * Arguments: {@code STATE_DIR NAME}.
 */
final class AutoStartMain {
  private AutoStartMain() {}

  public static void main(String[] args) throws Exception {
    Berth berth = Berth.builder().stateDir(Path.of(args[0])).autoStart(true).build();
    Lease lease = berth.lease(args[1]).attach();
    // listens until the process dies, as the registry checks before ready
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), lease.port()));
    lease.ready();
    System.out.println("live " + lease.port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
