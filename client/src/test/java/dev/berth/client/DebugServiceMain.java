package dev.berth.client;

import java.nio.file.Path;

/**
 * A service process for {@link DebugEndpointTest}: serves {@link WhoService} as {@code dbg}, as
 * a sample service of a {@code lease: self} stack does, and prints {@code serving PORT} once
 * visible. Arguments: {@code REGISTRY_ADDRESS STATE_DIR}.
 */
final class DebugServiceMain {
  private DebugServiceMain() {}

  public static void main(String[] args) throws Exception {
    Berth berth = Berth.builder().registry(args[0]).stateDir(Path.of(args[1])).build();
    BerthServer server = berth.serve("dbg").addService(WhoService.named("a")).start();
    System.out.println("serving " + server.port() + " " + server.lease().address());
    System.out.flush();
    server.awaitTermination();
  }
}
