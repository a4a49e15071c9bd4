package dev.berth.cli;

import dev.berth.local.RegistryLauncher;
import dev.berth.local.StateDir;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A {@code berth run --debug} child that starts JVMs of Berth's before it listens on
 * {@code $PORT}, as a debugged program does: {@code bin/berth --version} (args[0]), then a
 * registry through {@link RegistryLauncher} for the state dir args[1] (as the library's
 * auto-start does), each of which inherits this JVM's {@code JAVA_TOOL_OPTIONS} with its agent.
 * Prints "forked JVMs ok" when both ran, else exits 3 (bin/berth failed) or 4 (the registry
 * died before it wrote registry.json).
 */
public final class ForkingDebuggee {
  private ForkingDebuggee() {}

  public static void main(String[] args) throws Exception {
    Process cli = new ProcessBuilder(args[0], "--version").inheritIO().start();
    if (!cli.waitFor(60, TimeUnit.SECONDS) || cli.exitValue() != 0) {
      cli.destroyForcibly();
      System.out.println("bin/berth --version failed");
      System.exit(3);
    }
    StateDir home = StateDir.of(Path.of(args[1])).prepare();
    Process registry = RegistryLauncher.of(home).port(0).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(home.file(StateDir.REGISTRY_JSON))) {
        if (!registry.isAlive() || System.nanoTime() > deadline) {
          System.out.println("the registry exited with " + (registry.isAlive() ? "nothing" : registry.exitValue())
              + ": " + Files.readString(home.file(StateDir.LOG)));
          System.exit(4);
        }
        Thread.sleep(50);
      }
    } finally {
      registry.destroy();
      registry.waitFor(20, TimeUnit.SECONDS);
      registry.destroyForcibly();
    }
    System.out.println("forked JVMs ok");
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(System.getenv("PORT"))));
      Thread.sleep(120_000);
    }
  }
}
