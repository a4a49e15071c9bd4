package dev.berth.client;

import java.nio.file.Path;

/**
 * A service process for the Unix socket tests: serves {@link PeerKind} as {@code who} and prints
 * {@code serving PORT unix:PATH} (or {@code serving PORT none}) once visible.
 * Arguments: {@code REGISTRY_ADDRESS STATE_DIR NAME}.
 */
final class PeerKindMain {
  private PeerKindMain() {}

  public static void main(String[] args) throws Exception {
    Berth berth = Berth.builder().registry(args[0]).stateDir(Path.of(args[1])).build();
    BerthServer server = berth.serve("who").addService(PeerKind.service(args[2]))
        .intercept(PeerKind.interceptor()).start();
    System.out.println("serving " + server.port() + " "
        + server.unixAddress().map(Address::toString).orElse("none"));
    System.out.flush();
    server.awaitTermination();
  }
}
