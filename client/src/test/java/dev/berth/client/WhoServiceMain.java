package dev.berth.client;

import java.nio.file.Path;

/**
 * A service process for the end-to-end tests: serves {@link WhoService} as {@code who} and
 * prints {@code serving PORT} once visible.
 * Arguments: {@code REGISTRY_ADDRESS STATE_DIR NAME}.
 */
final class WhoServiceMain {
  private WhoServiceMain() {}

  public static void main(String[] args) throws Exception {
    Berth berth = Berth.builder().registry(args[0]).stateDir(Path.of(args[1])).build();
    BerthServer server = berth.serve("who").addService(WhoService.named(args[2])).start();
    System.out.println("serving " + server.port());
    System.out.flush();
    server.awaitTermination();
  }
}
