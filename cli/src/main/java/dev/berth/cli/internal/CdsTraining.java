package dev.berth.cli.internal;

import dev.berth.cli.BerthCli;
import dev.berth.cli.internal.stack.StackNamespace;
import dev.berth.local.StateDir;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The run {@code mvn package} records the CLI's class-data-sharing archive from
 * ({@code -XX:ArchiveClassesAtExit}): every fast-path verb against a stand-in for the
 * registry's query view in a temp state dir (this JVM holds its lifetime lock), then
 * {@code berth --help}, so that the picocli start of every other command is in the archive
 * too. Runs with the launcher's class path, so that the archive matches {@code bin/berth}'s
 * {@code -jar berth-launcher.jar}. Prints nothing; exits 0, or 1 if a verb failed.
 */
public final class CdsTraining {

  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    Path home = Files.createTempDirectory("berth-cds-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    int failures = 0;
    try (ServerSocket view = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        FileChannel lockFile = FileChannel.open(home.resolve(StateDir.LIFETIME_LOCK),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.lock()) {
      Files.writeString(Files.createFile(home.resolve(StateDir.TOKEN),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
          "0".repeat(64) + "\n");
      Files.writeString(home.resolve(StateDir.REGISTRY_JSON), "{\n  \"address\": \"127.0.0.1:1\",\n"
          + "  \"pid\": \"1\",\n  \"httpAddress\": \"127.0.0.1:" + view.getLocalPort() + "\"\n}");
      Thread server = new Thread(() -> serve(view), "berth-cds-view");
      server.setDaemon(true);
      server.start();
      PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
      String[][] verbs = {
        {"resolve", "web"}, {"resolve", "web/http", "--all"}, {"resolve", "nope"},
        {"ls"}, {"ls", "--json"}, {"env"}, {"env", "--format", "markdown"},
        {"resolve", "web", "-n", "shop-1a2b3c"}, {"ls", "--namespace", "default"},
      };
      // a command in a stack's directory hashes its path: SHA-256 goes in the archive too
      Files.writeString(home.resolve(StackNamespace.PROCFILE), "web: true\n");
      StackNamespace.forDir(StackNamespace.locate(home).orElseThrow());
      for (String[] verb : verbs) {
        int code = FastPath.run(with(verb, "--home", home.toString()), quiet, quiet);
        if (code == FastPath.FALL_THROUGH || (code != 0 && !verb[1].equals("nope"))) {
          System.err.println("berth: CDS training: " + String.join(" ", verb) + " exited " + code);
          failures++;
        }
      }
      PrintStream out = System.out;
      System.setOut(quiet);
      try {
        BerthCli.run("--help");
      } finally {
        System.setOut(out);
      }
    } finally {
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.exit(failures == 0 ? 0 : 1);
  }

  private static String[] with(String[] verb, String... more) {
    String[] all = new String[verb.length + more.length];
    System.arraycopy(verb, 0, all, 0, verb.length);
    System.arraycopy(more, 0, all, verb.length, more.length);
    return all;
  }

  /** Answers each request as the view would: one live web/main and web/http, nothing else. */
  private static void serve(ServerSocket view) {
    String instances = "[\n"
        + "  {\"service\": \"web\", \"endpoint\": \"main\", \"address\": \"127.0.0.1:2\","
        + " \"listenAddress\": \"0.0.0.0\", \"port\": 2,"
        + " \"pid\": 3, \"instance\": \"web-1\", \"liveSince\": \"2026-12-01T19:58:04.123456Z\"},\n"
        + "  {\"service\": \"web\", \"endpoint\": \"http\", \"address\": \"[::1]:4\","
        + " \"listenAddress\": \"::1\", \"port\": 4,"
        + " \"pid\": 3, \"instance\": \"web-1\", \"liveSince\": null},\n"
        + "  {\"service\": \"web\", \"endpoint\": \"main\", \"address\": \"127.0.0.1:5\", \"listenAddress\": null, \"port\": 5,"
        + " \"pid\": 6, \"instance\": \"web-2\", \"liveSince\": null, \"namespace\": \"shop-1a2b3c\"}\n]\n";
    while (true) {
      try (Socket s = view.accept()) {
        String head = readHead(s.getInputStream());
        String path = head.substring(head.indexOf(' ') + 1, head.indexOf(" HTTP/"));
        int status = path.contains("service=nope") ? 404 : 200;
        String body = path.startsWith("/v1/instances") ? instances
            : status == 404 ? "no live instance\n"
            : "{\"service\": \"web\", \"endpoint\": \"main\", \"addresses\": [\"127.0.0.1:2\"]}\n";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        s.getOutputStream().write(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().write(bytes);
      } catch (IOException | RuntimeException e) {
        if (view.isClosed()) {
          return;
        }
      }
    }
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      head.append((char) c);
      if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    return head.toString();
  }
}
