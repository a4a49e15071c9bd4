package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.RegistryGrpc;
import dev.berth.testing.ChildListener;
import dev.berth.testing.JdwpHandshake;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth run} with several endpoints and with {@code --debug}: real JVM, Node and python3
 * children, one registry for the class (each test its own service).
 */
class RunDebugIT {

  private static final Pattern DEBUGGER = Pattern.compile("live on 127\\.0\\.0\\.1:(\\d+), debugger on 127\\.0\\.0\\.1:(\\d+)$");

  @TempDir
  static Path temp;

  static BerthJar berth;
  static String registry;
  // HTTP/1.1: an upgrade to h2c looks to Node's inspector like a WebSocket request gone wrong
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void registry() throws Exception {
    berth = new BerthJar(temp);
    registry = berth.startRegistry();
  }

  @AfterAll
  static void stop() throws Exception {
    BerthJar.closeAll(berth);
  }

  private static BerthJar.Started runJvm() throws Exception {
    return runJvm("jvm");
  }

  private static BerthJar.Started runJvm(String service) throws Exception {
    return berth.start("run", "--debug", service, "--", BerthJar.java(), "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-cp", BerthJar.TEST_CLASSES.toString(), PortHolder.class.getName());
  }

  /** Stops {@code berth run} as Ctrl-C's SIGTERM would, and waits for it and its child. */
  private static BerthJar.Result stop(BerthJar.Started run) throws Exception {
    List<ProcessHandle> children = run.process.descendants().toList();
    run.process.destroy();
    BerthJar.Result result = run.await(Duration.ofSeconds(30));
    for (ProcessHandle c : children) {
      c.onExit().get(10, TimeUnit.SECONDS);
    }
    return result;
  }

  @Test
  void debugJvm_liveWithBothEndpoints_sameDebugPortNextRun_aDebuggerAttaches_noHandshakeFails()
      throws Exception {
    BerthJar.Started first = runJvm();
    Matcher live = DEBUGGER.matcher(first.awaitLine("live on", Duration.ofSeconds(60)));
    assertThat(live.find()).as(first.err()).isTrue();
    int port = Integer.parseInt(live.group(1));
    int debug = Integer.parseInt(live.group(2));
    String ls = berth.run("ls", "--json").out;
    assertThat(ls).contains("{\"service\": \"jvm\", \"endpoint\": \"main\", \"address\": \"127.0.0.1:"
        + port + "\"", "{\"service\": \"jvm\", \"endpoint\": \"debug\", \"address\": \"127.0.0.1:"
        + debug + "\"");
    assertThat(instance("jvm").getMetadataMap()).containsEntry("debug", "jdwp");
    stop(first);

    BerthJar.Started second = runJvm();
    Matcher again = DEBUGGER.matcher(second.awaitLine("live on", Duration.ofSeconds(60)));
    assertThat(again.find()).as(second.err()).isTrue();
    assertThat(Integer.parseInt(again.group(2))).as("the debug port, sticky").isEqualTo(debug);
    assertThat(JdwpHandshake.attach("127.0.0.1", debug, Duration.ofSeconds(10)))
        .isEqualTo(JdwpHandshake.HANDSHAKE);
    stop(second);

    // the JVM's stdout and stderr are berth run's
    for (BerthJar.Started run : List.of(first, second)) {
      assertThat(run.out() + run.err()).contains("Listening for transport dt_socket at address: " + debug)
          .doesNotContainIgnoringCase("handshake failed");
    }
  }

  @Test
  void debugJvm_theJvmsItStarts_binBerthAndAnAutoStartedRegistry_runWithoutItsAgent() throws Exception {
    // the real script in a checkout of only bin/ and cli/target: it must not rebuild the jar
    // under a running build because a source was edited meanwhile
    Path root = Files.createDirectories(temp.resolve("forker-root"));
    Path binBerth = Files.createDirectories(root.resolve("bin")).resolve("berth");
    Files.copy(BerthJar.JAR.getParent().getParent().getParent().resolve("bin").resolve("berth"), binBerth);
    Files.createSymbolicLink(Files.createDirectories(root.resolve("cli")).resolve("target"), BerthJar.JAR.getParent());
    BerthJar.Started run = berth.start("run", "--debug", "--ready-timeout", "120", "forker", "--",
        BerthJar.java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", BerthJar.JAR + java.io.File.pathSeparator + BerthJar.TEST_CLASSES,
        ForkingDebuggee.class.getName(), binBerth.toString(), temp.resolve("forker-home").toString());
    Matcher live = DEBUGGER.matcher(run.awaitLine("live on", Duration.ofSeconds(150)));
    assertThat(live.find()).as(run.out() + run.err()).isTrue();
    assertThat(run.out()).contains("forked JVMs ok");
    assertThat(run.out() + run.err()).doesNotContain("bind failed");
    stop(run);
  }

  @Test
  void debugNode_getsNodeOptions_andItsInspectorListensOnTheDebugPort() throws Exception {
    assumeTrue(onPath("node"), "node is not installed (.ci/run installs it)");
    BerthJar.Started run = berth.start("run", "--debug", "nodeweb", "--", "node", "-e",
        "require('http').createServer((q, s) => s.end(String(process.env.NODE_OPTIONS)))"
            + ".listen(Number(process.env.PORT), '127.0.0.1')");
    Matcher live = DEBUGGER.matcher(run.awaitLine("live on", Duration.ofSeconds(60)));
    assertThat(live.find()).as(run.err()).isTrue();
    int port = Integer.parseInt(live.group(1));
    int debug = Integer.parseInt(live.group(2));

    assertThat(get("127.0.0.1:" + port, "/")).isEqualTo("--inspect=127.0.0.1:" + debug);
    // the inspector's own HTTP side: what a Chrome DevTools or VS Code attach reads first
    assertThat(get("127.0.0.1:" + debug, "/json/version")).contains("\"Browser\": \"node.js/");
    assertThat(instance("nodeweb").getMetadataMap()).containsEntry("debug", "inspector");
    assertThat(berth.run("resolve", "nodeweb/debug").out).isEqualTo("127.0.0.1:" + debug + "\n");
    stop(run);
  }

  @Test
  void twoEndpoints_getPortAndAVariableEach_andGoLiveOnlyWhenBothListen() throws Exception {
    assumeTrue(onPath("python3"), "python3 is not installed");
    Path gate = temp.resolve("twin.gate");
    Path env = temp.resolve("twin.env");
    BerthJar.Started run = berth.start("run", "twin", "--endpoint", "http", "--endpoint", "admin",
        "--", "python3", "-c", String.join("\n",
            "import os, socket, sys, time",
            "gate, env = sys.argv[1], sys.argv[2]",
            "with open(env + '.tmp', 'w') as f:",
            "    f.write(' '.join(os.environ.get(k, '-') for k in ('PORT', 'BERTH_PORT_HTTP', 'BERTH_PORT_ADMIN')))",
            "os.rename(env + '.tmp', env)",
            "def listen(p):",
            "    s = socket.socket(); s.bind(('127.0.0.1', int(p))); s.listen(); return s",
            "a = listen(os.environ['BERTH_PORT_HTTP'])",
            "while not os.path.exists(gate): time.sleep(0.05)",
            "b = listen(os.environ['BERTH_PORT_ADMIN'])",
            "time.sleep(120)"), gate.toString(), env.toString());
    String[] ports = awaitFile(env).split(" ");
    assertThat(ports[0]).isEqualTo(ports[1]);
    assertThat(ports[2]).isNotEqualTo(ports[1]).matches("\\d+");
    int httpPort = Integer.parseInt(ports[1]);
    int adminPort = Integer.parseInt(ports[2]);
    awaitAccepting(httpPort);
    Thread.sleep(500); // berth run looks at /proc every 25 ms: it has seen http listen by now

    assertThat(berth.run("resolve", "twin/http").exitCode).as("live with admin not listening").isEqualTo(1);
    assertThat(run.err()).doesNotContain("live on");

    Files.writeString(gate, "go");
    String live = run.awaitLine("live on", Duration.ofSeconds(30));
    assertThat(live).endsWith("live on 127.0.0.1:" + httpPort + ", admin on 127.0.0.1:" + adminPort);
    assertThat(berth.run("resolve", "twin/admin").out).isEqualTo("127.0.0.1:" + adminPort + "\n");
    stop(run);
  }

  @Test
  void secondEndpointTakenBeforeTheChildListens_restartsItOnceOnAnotherPortForThatEndpoint()
      throws Exception {
    assumeTrue(onPath("python3"), "python3 is not installed");
    // the child binds once the test's squatter holds the port (the gate), however slow the machine
    Path gate = temp.resolve("pair.gate");
    BerthJar.Started run = berth.start("run", "pair", "--endpoint", "http", "--endpoint", "admin",
        "--", "python3", "-c", String.join("\n",
            "import os, socket, sys, time",
            "while not os.path.exists(sys.argv[1]): time.sleep(0.05)",
            "held = []",
            "for k in ('BERTH_PORT_HTTP', 'BERTH_PORT_ADMIN'):",
            "    s = socket.socket(); s.bind(('127.0.0.1', int(os.environ[k]))); s.listen(); held.append(s)",
            "time.sleep(120)"), gate.toString());
    Matcher waiting = Pattern.compile("port (\\d+) \\(\\$PORT\\) and port (\\d+) \\(\\$BERTH_PORT_ADMIN\\)")
        .matcher(run.awaitLine("$BERTH_PORT_ADMIN", Duration.ofSeconds(30)));
    assertThat(waiting.find()).isTrue();
    int httpPort = Integer.parseInt(waiting.group(1));
    int taken = Integer.parseInt(waiting.group(2));

    try (ServerSocket squatter = BerthJar.listen(taken)) { // before the child binds
      Files.writeString(gate, "go");
      String restart = run.awaitLine("restarting it once", Duration.ofSeconds(30));
      String live = run.awaitLine("live on", Duration.ofSeconds(30));

      assertThat(restart).contains("port " + taken + " was taken by pid " + ProcessHandle.current().pid());
      Matcher m = Pattern.compile("live on 127\\.0\\.0\\.1:(\\d+), admin on 127\\.0\\.0\\.1:(\\d+)$").matcher(live);
      assertThat(m.find()).as(live).isTrue();
      assertThat(Integer.parseInt(m.group(1))).isEqualTo(httpPort);
      int admin = Integer.parseInt(m.group(2));
      assertThat(admin).isNotEqualTo(taken);
      assertThat(restart).endsWith("on port " + admin);
      assertThat(berth.run("resolve", "pair/admin").out).isEqualTo("127.0.0.1:" + admin + "\n");
    }
    stop(run);
  }

  @Test
  void rememberedDebugPortSquatted_movesIt_sayingSoInOneLineWithTheFix() throws Exception {
    assumeTrue(onPath("python3"), "python3 is not installed");
    BerthJar.Started first = runJvm("squatted");
    Matcher live = DEBUGGER.matcher(first.awaitLine("live on", Duration.ofSeconds(60)));
    assertThat(live.find()).as(first.err()).isTrue();
    int debug = Integer.parseInt(live.group(2));
    stop(first);

    try (ChildListener squatter = ChildListener.start("127.0.0.1", debug)) {
      BerthJar.Started second = runJvm("squatted");
      Matcher again = DEBUGGER.matcher(second.awaitLine("live on", Duration.ofSeconds(60)));
      assertThat(again.find()).as(second.err()).isTrue();
      int moved = Integer.parseInt(again.group(2));
      assertThat(moved).isNotEqualTo(debug);
      assertThat(second.err().lines().toList()).as(second.err()).filteredOn(l -> l.contains("debug port"))
          .singleElement().asString()
          .startsWith("berth: debug port moved " + debug + " -> " + moved + " (held by pid " + squatter.pid() + " (")
          .contains("python3")
          .endsWith("): rerun berth debug squatted --intellij/--vscode");
      stop(second);
    }
  }

  @Test
  void debugPortTakenBeforeTheAgentBinds_restartsOnAnotherPort_sayingTheDebugPortMoved() throws Exception {
    assumeTrue(onPath("python3"), "python3 is not installed");
    // the JVM starts 2 s late: time to squat its debug port after berth run leased it
    BerthJar.Started run = berth.start("run", "--debug-runtime", "java", "late", "--", "sh", "-c",
        "sleep 2; exec \"$@\"", "sh", BerthJar.java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", BerthJar.TEST_CLASSES.toString(), PortHolder.class.getName());
    Matcher waiting = Pattern.compile("port (\\d+) \\(the debugger's\\)")
        .matcher(run.awaitLine("the debugger's", Duration.ofSeconds(30)));
    assertThat(waiting.find()).isTrue();
    int taken = Integer.parseInt(waiting.group(1));

    try (ChildListener squatter = ChildListener.start("127.0.0.1", taken)) {
      String moved = run.awaitLine("debug port moved", Duration.ofSeconds(30));
      Matcher live = DEBUGGER.matcher(run.awaitLine("live on", Duration.ofSeconds(60)));
      assertThat(live.find()).as(run.err()).isTrue();
      int next = Integer.parseInt(live.group(2));
      assertThat(next).isNotEqualTo(taken);
      assertThat(moved).startsWith("berth: debug port moved " + taken + " -> " + next + " (held by pid " + squatter.pid())
          .endsWith("): rerun berth debug late --intellij/--vscode");
      assertThat(run.err()).doesNotContain("restarting it once");
    }
    stop(run);
  }

  @Test
  void usageErrors_areOneLineNamingTheValueAndTheFix() throws Exception {
    BerthJar.Result launcher = berth.run("run", "--debug", "web", "--", "mvn", "quarkus:dev");
    assertThat(launcher.exitCode).as(launcher.toString()).isEqualTo(2);
    assertThat(launcher.errLines()).singleElement().asString()
        .contains("--debug", "'mvn quarkus:dev'", "java or node as the program", "--debug-runtime java|node");

    BerthJar.Result twice = berth.run("run", "web", "--endpoint", "http", "--endpoint", "http", "--", "true");
    assertThat(twice.exitCode).as(twice.toString()).isEqualTo(2);
    assertThat(twice.errLines()).singleElement().asString()
        .isEqualTo("berth: --endpoint: 'http' is given twice (expected: each endpoint once) (see 'berth run --help')");

    BerthJar.Result own = berth.run("run", "--debug", "web", "--endpoint", "debug", "--", "java", "Main");
    assertThat(own.exitCode).as(own.toString()).isEqualTo(2);
    assertThat(own.errLines()).singleElement().asString()
        .startsWith("berth: --debug: adds the endpoint 'debug' itself");

    String jdwp = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:5005";
    BerthJar.Result agent = berth.run("run", "--debug", "web", "--", "java", jdwp, "-jar", "app.jar");
    assertThat(agent.exitCode).as(agent.toString()).isEqualTo(2);
    assertThat(agent.errLines()).singleElement().asString()
        .startsWith("berth: --debug: the command already starts a debugger: " + jdwp + " on the command line"
            + " (expected: remove it, or run without --debug to keep your own)");

    // NODE_OPTIONS, not a Java variable: that would start an agent in berth's own JVM
    BerthJar.Result inspector = berth.runJar(BerthJar.JAR, Map.of("NODE_OPTIONS", "--inspect=9230"),
        "run", "--debug", "web", "--", "node", "app.js");
    assertThat(inspector.exitCode).as(inspector.toString()).isEqualTo(2);
    assertThat(inspector.errLines()).singleElement().asString()
        .startsWith("berth: --debug: the command already starts a debugger: --inspect=9230 in NODE_OPTIONS");

    BerthJar.Result runtime = berth.run("run", "--debug-runtime", "ruby", "web", "--", "ruby", "app.rb");
    assertThat(runtime.exitCode).as(runtime.toString()).isEqualTo(2);
    assertThat(runtime.errLines()).singleElement().asString()
        .isEqualTo("berth: --debug-runtime: 'ruby' (expected: java or node) (see 'berth run --help')");
  }

  /** The registry's own view of {@code service}'s instance, with its metadata (List over gRPC). */
  private static Instance instance(String service) throws Exception {
    ManagedChannel channel = Grpc.newChannelBuilder(registry, InsecureChannelCredentials.create()).build();
    try {
      Metadata headers = new Metadata();
      headers.put(Metadata.Key.of("berth-token", Metadata.ASCII_STRING_MARSHALLER),
          Files.readString(berth.home().resolve("token"), StandardCharsets.UTF_8).strip());
      return RegistryGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .list(ListRequest.getDefaultInstance())
          .getInstancesList().stream()
          .filter(i -> i.getService().equals(service))
          .findFirst().orElseThrow(() -> new AssertionError("no instance of " + service));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private String get(String address, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://" + address + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static String awaitFile(Path file) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(file)) {
      assertThat(System.nanoTime()).as("no " + file + " within 30 s").isLessThan(deadline);
      Thread.sleep(20);
    }
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static void awaitAccepting(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (java.io.IOException e) {
        assertThat(System.nanoTime()).as("nothing listens on " + port + " within 30 s").isLessThan(deadline);
        Thread.sleep(20);
      }
    }
  }

  private static boolean onPath(String program) {
    try {
      return new ProcessBuilder("sh", "-c", "command -v " + program).start().waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
