package dev.berth.client;

import dev.berth.registry.BerthRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A registry that is slow to become visible, as on a loaded machine: a real registry on
 * STATE_DIR (it holds the dir's lifetime lock from its first moment), whose
 * {@code registry.json} appears only DELAY_MS after it started; until then nothing tells a
 * client where it listens. Port 0, the pool FIRST-LAST. Prints {@code locked} once it runs
 * unseen, then {@code listening PORT}. Arguments: {@code STATE_DIR DELAY_MS FIRST-LAST}.
 */
final class SlowRegistryMain {
  private SlowRegistryMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String[] pool = args[2].split("-");
    BerthRegistry registry = BerthRegistry.builder().stateDir(dir).port(0)
        .ports(Integer.parseInt(pool[0]), Integer.parseInt(pool[1])).metricsEndpoint(false)
        .build().start();
    Path json = dir.resolve("registry.json");
    Path later = dir.resolve(".registry.json.later.tmp");
    Files.move(json, later, StandardCopyOption.ATOMIC_MOVE);
    System.out.println("locked");
    System.out.flush();
    Thread.sleep(Long.parseLong(args[1]));
    Files.move(later, json, StandardCopyOption.ATOMIC_MOVE);
    System.out.println("listening " + registry.port());
    System.out.flush();
    registry.awaitTermination();
  }
}
