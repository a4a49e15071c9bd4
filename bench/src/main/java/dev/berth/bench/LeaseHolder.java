package dev.berth.bench;

import dev.berth.client.Berth;
import dev.berth.client.Lease;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The bench's stand-in for many services: {@code LeaseHolder HOME N} holds N live leases
 * ({@code bench-mem-0}, ...), each through a {@link Berth} of its own, so each on its own
 * connection to the registry as N separate services would be, each listening on its port. It
 * prints {@code live N} once all are live; each {@code add K} line on stdin adds K more and
 * prints {@code live TOTAL}. It holds them until stdin closes or it is killed. Single-threaded.
 */
public final class LeaseHolder {
  private LeaseHolder() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    List<AutoCloseable> held = new ArrayList<>();
    int live = add(home, 0, Integer.parseInt(args[1]), held);
    System.out.println("live " + live);
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.startsWith("add ")) {
        live = add(home, live, Integer.parseInt(line.substring(4).trim()), held);
        System.out.println("live " + live);
        System.out.flush();
      }
    }
    for (int i = held.size() - 1; i >= 0; i--) {
      held.get(i).close();
    }
  }

  private static int add(Path home, int from, int n, List<AutoCloseable> held) throws Exception {
    for (int i = from; i < from + n; i++) {
      Berth berth = Berth.builder().stateDir(home).autoStart(false).build();
      held.add(berth);
      Lease lease = berth.lease("bench-mem-" + i).attach();
      held.add(lease);
      held.add(Listening.on(lease));
      lease.ready();
    }
    return from + n;
  }
}
