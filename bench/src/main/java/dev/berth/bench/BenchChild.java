package dev.berth.bench;

import dev.berth.client.Berth;
import dev.berth.client.BerthServer;
import dev.berth.client.Lease;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The program the bench runs as a separate process. Modes:
 *
 * <ul>
 *   <li>{@code serve HOME NAME}: serves {@code NAME} (health only) and prints {@code ready PORT};
 *       lives until killed.
 *   <li>{@code attach HOME NAME}: for each {@code go} line on stdin, prints
 *       {@code t0 NANOTIME}, attaches a lease for {@code NAME} and makes it live; for each
 *       {@code close} line, closes it and prints {@code closed}; for a {@code warm N} line,
 *       runs N attach, ready, close cycles (JIT warm-up, here and in the registry) and prints
 *       {@code warmed}.
 * </ul>
 *
 * <p>{@code System.nanoTime()} is CLOCK_MONOTONIC on Linux, shared by all processes, so the
 * parent can subtract the child's timestamps from its own.
 */
public final class BenchChild {
  private BenchChild() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: BenchChild serve|attach HOME NAME");
      System.exit(2);
    }
    Path home = Path.of(args[1]);
    String name = args[2];
    try (Berth berth = Berth.builder().stateDir(home).build()) {
      switch (args[0]) {
        case "serve" -> serve(berth, name);
        case "attach" -> attachLoop(berth, name);
        default -> {
          System.err.println("unknown mode: " + args[0]);
          System.exit(2);
        }
      }
    }
  }

  private static void serve(Berth berth, String name) throws Exception {
    try (BerthServer server = berth.serve(name).start()) {
      System.out.println("ready " + server.port());
      System.out.flush();
      server.awaitTermination();
    }
  }

  private static void attachLoop(Berth berth, String name) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("waiting");
    System.out.flush();
    Lease lease = null;
    Listening listening = null;
    String line;
    while ((line = in.readLine()) != null) {
      if (line.equals("go")) {
        long t0 = System.nanoTime();
        lease = berth.lease(name).attach();
        listening = Listening.on(lease);
        lease.ready();
        System.out.println("t0 " + t0);
      } else if (line.startsWith("warm ")) {
        int n = Integer.parseInt(line.substring(5));
        for (int i = 0; i < n; i++) {
          try (Lease warm = berth.lease(name).attach(); Listening l = Listening.on(warm)) {
            warm.ready();
          }
        }
        System.out.println("warmed");
      } else if (line.equals("close") && lease != null) {
        lease.close();
        lease = null;
        listening.close();
        System.out.println("closed");
      }
      System.out.flush();
    }
  }
}
