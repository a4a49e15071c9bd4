package dev.berth.cli.internal.doctor;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * What {@code localhost} resolves to, in the order getaddrinfo gives it (the order Node,
 * Python, curl and Go try): {@code getent ahosts localhost} where that program exists (it asks
 * getaddrinfo itself, so it sees nsswitch, /etc/hosts and the address sorting rules), else the
 * order of the {@code /etc/hosts} lines that name {@code localhost}. Immutable.
 */
record LocalhostOrder(List<String> addresses, String source) {

  static final String GETENT = "getent ahosts localhost";
  static final Path HOSTS = Path.of("/etc/hosts");
  private static final long GETENT_TIMEOUT_SECONDS = 3;
  private static final Pattern LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  /** This machine's order. Runs {@code getent} (bounded), which reads and changes nothing. */
  static LocalhostOrder read() {
    try {
      Process p = new ProcessBuilder("getent", "ahosts", "localhost")
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      p.getOutputStream().close();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
      if (!p.waitFor(GETENT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return fromHosts();
      }
      // exit 2: localhost resolves to nothing, which is an answer too
      return new LocalhostOrder(p.exitValue() == 0 ? parseGetent(out.get(1, TimeUnit.SECONDS)) : List.of(), GETENT);
    } catch (IOException e) {
      return fromHosts(); // no getent (macOS)
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fromHosts();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return fromHosts();
    }
  }

  private static LocalhostOrder fromHosts() {
    try {
      return new LocalhostOrder(parseHosts(Files.readAllLines(HOSTS, StandardCharsets.UTF_8)), HOSTS.toString());
    } catch (IOException e) {
      return new LocalhostOrder(List.of(), HOSTS + " (unreadable)");
    }
  }

  /** The first column of {@code getent ahosts} output, each address once, in order. */
  static List<String> parseGetent(String output) {
    List<String> addresses = new ArrayList<>();
    for (String line : output.split("\n")) {
      String[] f = line.trim().split("\\s+");
      add(addresses, f[0]);
    }
    return List.copyOf(addresses);
  }

  /** The addresses of the lines that name {@code localhost}, each once, in file order. */
  static List<String> parseHosts(List<String> lines) {
    List<String> addresses = new ArrayList<>();
    for (String line : lines) {
      int hash = line.indexOf('#');
      String[] f = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
      for (int i = 1; i < f.length; i++) {
        if (f[i].equalsIgnoreCase("localhost")) {
          add(addresses, f[0]);
          break;
        }
      }
    }
    return List.copyOf(addresses);
  }

  /** Adds {@code literal} written as doctor writes addresses ("::1", "127.0.0.1"), unless it is there or no address. */
  private static void add(List<String> addresses, String literal) {
    if (!LITERAL.matcher(literal).matches()) {
      return; // never a name: resolving one is what we are describing
    }
    String address;
    try {
      InetAddress a = InetAddress.getByName(literal); // a literal: no lookup
      address = a instanceof Inet6Address && a.isLoopbackAddress() ? "::1" : a.getHostAddress();
    } catch (UnknownHostException e) {
      return;
    }
    if (!addresses.contains(address)) {
      addresses.add(address);
    }
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
