package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.berth.client.Berth;
import dev.berth.client.Lease;
import dev.berth.testing.JdwpHandshake;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code berth debug NAME}: the debug endpoint's address while the service is live (a real JVM
 * with a JDWP agent), the same remembered port after it is killed, IDE files that name that
 * port, and {@code --wait}. One registry for the class; each test its own service name.
 */
class DebugIT {

  @TempDir
  static Path temp;

  static BerthJar berth;
  static Berth client;

  final List<AutoCloseable> cleanup = new ArrayList<>();

  @BeforeAll
  static void registry() throws Exception {
    berth = new BerthJar(temp);
    String address = berth.startRegistry();
    client = Berth.builder().stateDir(berth.home()).registry(address).autoStart(false).namespace("").build();
  }

  @AfterAll
  static void stop() throws Exception {
    BerthJar.closeAll(client, berth);
  }

  @AfterEach
  void closeEach() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  /** A live instance of {@code service} with endpoints main and debug, both held by sockets of this JVM. */
  private Lease liveHere(String service) throws Exception {
    Lease lease = client.lease(service).endpoint("main").endpoint("debug").metadata("debug", "jdwp").attach();
    cleanup.add(lease);
    for (String endpoint : List.of("main", "debug")) {
      ServerSocket socket = BerthJar.listen(lease.port(endpoint));
      cleanup.add(socket);
    }
    lease.ready();
    return lease;
  }

  @Test
  void debug_liveJdwpJvm_printsItsPort_andAfterKill9_theSameRememberedPortAndHowToStart() throws Exception {
    // sh reads the ports the lease gets, then becomes the JVM: the lease names its pid before
    Path agentOut = temp.resolve("jdwp-pay.out");
    Process child = new ProcessBuilder("sh", "-c", "read debug main; exec \"$0\" "
        + "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:$debug "
        + "-XX:TieredStopAtLevel=1 -cp \"$1\" " + PortHolder.class.getName() + " $main",
        BerthJar.java(), BerthJar.TEST_CLASSES.toString())
        .redirectErrorStream(true).redirectOutput(agentOut.toFile()).start();
    cleanup.add(() -> child.destroyForcibly().waitFor(10, TimeUnit.SECONDS));
    Lease lease = client.lease("pay").endpoint("main").endpoint("debug").metadata("debug", "jdwp")
        .pid(child.pid()).attach();
    cleanup.add(lease);
    int debugPort = lease.port("debug");
    try (OutputStream in = child.getOutputStream()) {
      in.write((debugPort + " " + lease.port("main") + "\n").getBytes(StandardCharsets.US_ASCII));
    }
    awaitText(agentOut, "Listening for transport dt_socket at address: " + debugPort);
    awaitText(agentOut, "listening on " + lease.port("main"));
    lease.ready();

    BerthJar.Result live = berth.run("debug", "pay");
    assertThat(live.exitCode).as(live.toString()).isZero();
    assertThat(live.out).as(live.toString()).isEqualTo("pay: 127.0.0.1:" + debugPort + ", Java (JDWP), pid "
        + child.pid() + ", instance " + instanceId("pay") + "\n");
    assertThat(JdwpHandshake.attach("127.0.0.1", debugPort, Duration.ofSeconds(10)))
        .isEqualTo(JdwpHandshake.HANDSHAKE); // a real agent, and berth never connected to it:
    assertThat(Files.readString(agentOut)).doesNotContain("handshake failed");

    child.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // kill -9
    lease.close(); // what berth run does when its child dies

    BerthJar.Result remembered = berth.run("debug", "pay");
    assertThat(remembered.exitCode).as(remembered.toString()).isZero();
    assertThat(remembered.out).as(remembered.toString()).isEqualTo("pay: 127.0.0.1:" + debugPort + ", remembered\n");
    assertThat(remembered.errLines()).as(remembered.toString()).containsExactly("berth: pay is not running with "
        + "a debugger now; start it with 'berth run --debug pay -- java ...' (or 'debug: true' in berth.yaml)");

    // not live, no berth.yaml: the runtime is --runtime's, the port the remembered one
    Path dir = Files.createDirectories(temp.resolve("pay-project"));
    BerthJar.Result node = berth.runJarIn(dir, BerthJar.JAR, Map.of(), "debug", "pay", "--intellij", "--runtime", "node");
    assertThat(node.exitCode).as(node.toString()).isZero();
    Path xml = dir.resolve(".run/pay-debug.run.xml");
    assertThat(node.out.lines()).as(node.toString()).containsExactly("pay: 127.0.0.1:" + debugPort + ", remembered",
        "wrote " + xml);
    Element configuration = (Element) DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile())
        .getElementsByTagName("configuration").item(0);
    assertThat(configuration.getAttribute("type")).isEqualTo("ChromiumRemoteDebugType");
    assertThat(configuration.getAttribute("port")).isEqualTo(Integer.toString(debugPort));
  }

  @Test
  void debug_neverRemembered_exits1WithHowToStart() throws Exception {
    BerthJar.Result r = berth.run("debug", "nosuch", "--runtime", "node");

    assertThat(r.exitCode).as(r.toString()).isEqualTo(1);
    assertThat(r.out).isEmpty();
    assertThat(r.errLines()).as(r.toString()).containsExactly("berth: no debug port for 'nosuch' yet: it never "
        + "ran with a debugger; start it with 'berth run --debug nosuch -- node ...' (or 'debug: true' in berth.yaml)");
  }

  @Test
  void debug_withoutARegistry_saysSoInOneLine() throws Exception {
    try (BerthJar none = new BerthJar(Files.createDirectories(temp.resolve("no-registry")))) {
      BerthJar.Result r = none.run("debug", "pay");

      assertThat(r.exitCode).as(r.toString()).isEqualTo(1);
      assertThat(r.errLines()).as(r.toString()).containsExactly("berth: no Berth registry running (no "
          + "registry.json in " + none.home() + "): start one with 'berth registry start'");
    }
  }

  @Test
  void intellijAndVscode_fromASubdirOfTheStack_writeFilesNamingThePort_keepOtherEntries_idempotent() throws Exception {
    Lease lease = liveHere("files");
    int port = lease.port("debug");
    Path project = Files.createDirectories(temp.resolve("shop"));
    Files.writeString(project.resolve("berth.yaml"), "services:\n  other:\n    command: [\"true\"]\n");
    Path sub = Files.createDirectories(project.resolve("src/main"));
    Path launch = Files.createDirectories(project.resolve(".vscode")).resolve("launch.json");
    String before = "{\n  // Use IntelliSense to learn about possible attributes.\n  \"version\": \"0.2.0\",\n"
        + "  \"configurations\": [\n    {\"name\": \"Launch web\", \"type\": \"node\", \"request\": \"launch\","
        + " \"program\": \"web.js\",}, /* the user's */\n  ],\n}\n";
    Files.writeString(launch, before);

    BerthJar.Result r = berth.runJarIn(sub, BerthJar.JAR, Map.of(), "debug", "files", "--intellij", "--vscode");

    assertThat(r.exitCode).as(r.toString()).isZero();
    Path xml = project.resolve(".run/files-debug.run.xml");
    assertThat(r.out.lines()).as(r.toString()).containsExactly(
        "files: 127.0.0.1:" + port + ", Java (JDWP), pid " + ProcessHandle.current().pid() + ", instance "
            + instanceId("files"),
        "wrote " + xml,
        "wrote " + launch + " (its comments are not kept: the file as it was is " + launch + ".bak)");
    assertIntellijRemote(xml, port);
    JsonArray configurations = JsonParser.parseString(Files.readString(launch)).getAsJsonObject()
        .getAsJsonArray("configurations");
    assertThat(configurations).hasSize(2);
    assertThat(configurations.get(0).getAsJsonObject().get("program").getAsString()).isEqualTo("web.js");
    JsonObject entry = configurations.get(1).getAsJsonObject();
    assertThat(entry.get("name").getAsString()).isEqualTo("files (berth debug)");
    assertThat(entry.get("type").getAsString()).isEqualTo("java");
    assertThat(entry.get("request").getAsString()).isEqualTo("attach");
    assertThat(entry.get("hostName").getAsString()).isEqualTo("127.0.0.1");
    assertThat(entry.get("port").getAsInt()).isEqualTo(port);
    assertThat(Files.readString(Path.of(launch + ".bak"))).isEqualTo(before);
    assertThat(project.resolve("src/main/.run")).doesNotExist();

    String launchAfter = Files.readString(launch);
    String xmlAfter = Files.readString(xml);
    BerthJar.Result again = berth.runJarIn(sub, BerthJar.JAR, Map.of(), "debug", "files", "--intellij", "--vscode");
    assertThat(again.exitCode).as(again.toString()).isZero();
    assertThat(again.out.lines()).as(again.toString())
        .contains(xml + ": already up to date", launch + ": already up to date");
    assertThat(Files.readString(launch)).isEqualTo(launchAfter);
    assertThat(Files.readString(xml)).isEqualTo(xmlAfter);
  }

  @Test
  void vscode_whenLaunchJsonCannotBeParsed_leavesItAlone_exits1NamingIt() throws Exception {
    int port = liveHere("broken").port("debug");
    Path dir = Files.createDirectories(temp.resolve("broken-project"));
    Path launch = Files.createDirectories(dir.resolve(".vscode")).resolve("launch.json");
    Files.writeString(launch, "{\"configurations\": [ {\"name\": \"x\" \"type\": 1} ]}");

    BerthJar.Result r = berth.runJarIn(dir, BerthJar.JAR, Map.of(), "debug", "broken", "--vscode");

    assertThat(r.exitCode).as(r.toString()).isEqualTo(1);
    assertThat(r.errLines()).as(r.toString()).singleElement().satisfies(l -> assertThat(l)
        .startsWith("berth: " + launch + " cannot be parsed (")
        .contains("left as it is", "\"port\":" + port));
    assertThat(Files.readString(launch)).isEqualTo("{\"configurations\": [ {\"name\": \"x\" \"type\": 1} ]}");
    assertThat(Path.of(launch + ".bak")).doesNotExist();
  }

  @Test
  void wait_returnsOnceTheServiceGoesLiveAfterTheCommand() throws Exception {
    BerthJar.Started waiting = berth.start("debug", "late", "--wait", "--timeout", "60");
    waiting.awaitLine("waiting up to 60s for late", Duration.ofSeconds(30));
    assertThat(waiting.process.isAlive()).isTrue();

    int port = liveHere("late").port("debug");

    BerthJar.Result r = waiting.await(Duration.ofSeconds(30));
    assertThat(r.exitCode).as(r.toString()).isZero();
    assertThat(r.out).as(r.toString()).startsWith("late: 127.0.0.1:" + port + ", Java (JDWP), pid ");
  }

  @Test
  void wait_whenNothingGoesLive_timesOutWithExit1NamingTheServiceAndHowLong() throws Exception {
    BerthJar.Result r = berth.run("debug", "absent", "--wait", "--timeout", "1");

    assertThat(r.exitCode).as(r.toString()).isEqualTo(1);
    assertThat(r.out).isEmpty();
    assertThat(r.errLines()).as(r.toString()).last().satisfies(l -> assertThat(l)
        .startsWith("berth: absent did not go live with a debug endpoint within 1s: start it with "
            + "'berth run --debug absent -- java ...'"));
  }

  private static void assertIntellijRemote(Path xml, int port) throws Exception {
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
    Element configuration = (Element) doc.getElementsByTagName("configuration").item(0);
    assertThat(configuration.getAttribute("type")).isEqualTo("Remote");
    NodeList options = configuration.getElementsByTagName("option");
    Map<String, String> values = new java.util.HashMap<>();
    for (int i = 0; i < options.getLength(); i++) {
      Element o = (Element) options.item(i);
      values.putIfAbsent(o.getAttribute("name"), o.getAttribute("value"));
    }
    assertThat(values).containsEntry("USE_SOCKET_TRANSPORT", "true").containsEntry("SERVER_MODE", "false")
        .containsEntry("HOST", "127.0.0.1").containsEntry("PORT", Integer.toString(port));
  }

  private static String instanceId(String service) throws Exception {
    BerthJar.Result ls = berth.run("ls", "--json");
    for (JsonElement e : JsonParser.parseString(ls.out).getAsJsonArray()) {
      if (e.getAsJsonObject().get("service").getAsString().equals(service)) {
        return e.getAsJsonObject().get("instance").getAsString();
      }
    }
    throw new AssertionError("no " + service + " in " + ls);
  }

  private static void awaitText(Path file, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (Files.exists(file) && Files.readString(file).contains(text)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no '" + text + "' in " + file + " within 30s: "
        + (Files.exists(file) ? Files.readString(file) : "(no file)"));
  }
}
