package dev.berth.client;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A service process for {@link DebugEndpointTest} that holds two leases of {@code dbg} at once:
 * serves {@code a} and {@code b}, prints {@code two A B} (each {@code debug} or {@code -}, whether
 * that lease carries the agent), then, once the file {@code NEXT} exists, closes {@code a}, serves
 * {@code c} and prints {@code third B C}. Arguments: {@code REGISTRY_ADDRESS STATE_DIR NEXT}.
 */
final class DebugTwoLeasesMain {
  private DebugTwoLeasesMain() {}

  public static void main(String[] args) throws Exception {
    Berth berth = Berth.builder().registry(args[0]).stateDir(Path.of(args[1])).build();
    BerthServer a = berth.serve("dbg").addService(WhoService.named("a")).start();
    BerthServer b = berth.serve("dbg").addService(WhoService.named("b")).start();
    System.out.println("two " + debug(a) + " " + debug(b));
    System.out.flush();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!Files.exists(Path.of(args[2])) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    a.close();
    BerthServer c = berth.serve("dbg").addService(WhoService.named("c")).start();
    System.out.println("third " + debug(b) + " " + debug(c));
    System.out.flush();
    c.awaitTermination();
  }

  private static String debug(BerthServer server) {
    return server.lease().addresses().containsKey("debug") ? "debug" : "-";
  }
}
