package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proto.v1.Assigned;
import dev.berth.proto.v1.AttachRequest;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.EndpointRequest;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.Ready;
import dev.berth.proto.v1.Register;
import dev.berth.proto.v1.ResolveRequest;
import dev.berth.proto.v1.Target;
import io.grpc.Status;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Endpoints on a Unix domain socket (EndpointRequest.unix_path), over a real registry. */
class UnixSocketEndpointTest {

  @TempDir Path state;
  @TempDir Path sockets;
  private TestRegistry reg;
  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    reg = TestRegistry.start(state, 4);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : cleanup) {
      c.close();
    }
    reg.close();
  }

  /** A listening Unix socket at {@code sockets/name}, in this JVM. */
  private Path listen(String name) throws IOException {
    Path path = sockets.resolve(name);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    cleanup.add(server);
    return path;
  }

  private static Register unix(String service, String endpoint, String path) {
    return Register.newBuilder().setService(service).setPid(ProcessHandle.current().pid())
        .addEndpoints(EndpointRequest.newBuilder().setName(endpoint).setUnixPath(path)).build();
  }

  private static void sendReady(AttachClient client) {
    client.send(AttachRequest.newBuilder().setReady(Ready.getDefaultInstance()).build());
  }

  @Test
  void attach_withUnixPath_assignsNoPortAndEveryReadShowsThePath() throws Exception {
    Path path = listen("orders.sock");
    WatchClient watcher = reg.watch("orders", "grpc");
    AttachClient orders = reg.attach();

    Assigned assigned = orders.register(unix("orders", "grpc", path.toString()));
    assertThat(assigned.getEndpointsList()).singleElement().satisfies(e -> {
      assertThat(e.getUnixPath()).isEqualTo(path.toString());
      assertThat(e.getPort()).isZero();
      assertThat(e.getHost()).isEmpty();
    });
    orders.ready();

    Target resolved = reg.blocking().resolve(ResolveRequest.newBuilder().setService("orders")
        .setEndpoint("grpc").build()).getTargets(0);
    assertThat(resolved.getUnixPath()).isEqualTo(path.toString());
    assertThat(resolved.getPort()).isZero();
    assertThat(resolved.getHost()).isEmpty();
    Instance listed = reg.blocking().list(ListRequest.getDefaultInstance()).getInstancesList()
        .stream().filter(i -> i.getService().equals("orders")).findFirst().orElseThrow();
    assertThat(listed.getEndpointsList()).extracting(Endpoint::getUnixPath)
        .containsExactly(path.toString());
    assertThat(watcher.await(s -> s.getTargetsCount() == 1).getTargets(0).getUnixPath())
        .isEqualTo(path.toString());
    // no berth is remembered for a socket path
    Path berths = state.resolve("berths.json");
    assertThat(Files.exists(berths) ? Files.readString(berths) : "").doesNotContain("orders");
  }

  @Test
  void register_withUnusableUnixPath_isInvalidArgumentNamingIt() throws Exception {
    String tooLong = "/" + "x".repeat(107);
    List<EndpointRequest> bad = List.of(
        EndpointRequest.newBuilder().setName("main").setUnixPath("relative/orders.sock").build(),
        EndpointRequest.newBuilder().setName("main").setUnixPath(tooLong).build(),
        EndpointRequest.newBuilder().setName("main").setUnixPath("/tmp/o.sock").setPort(8080).build(),
        EndpointRequest.newBuilder().setName("main").setUnixPath("/tmp/o.sock").setPort(8080)
            .setAlreadyBound(true).build());
    for (EndpointRequest e : bad) {
      AttachClient client = reg.attach();
      client.send(Register.newBuilder().setService("orders").setPid(ProcessHandle.current().pid())
          .addEndpoints(e).build());

      Status status = client.awaitEnd();
      assertThat(status.getCode()).as("%s", e).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(status.getDescription()).as("%s", e)
          .contains("\"main\" unix_path", "\"" + e.getUnixPath().substring(0, Math.min(11, e.getUnixPath().length())));
    }
    AttachClient twice = reg.attach();
    twice.send(Register.newBuilder().setService("orders").setPid(ProcessHandle.current().pid())
        .addEndpoints(EndpointRequest.newBuilder().setName("grpc").setUnixPath("/tmp/o.sock"))
        .addEndpoints(EndpointRequest.newBuilder().setName("http").setUnixPath("/tmp/o.sock"))
        .build());
    Status status = twice.awaitEnd();
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).contains("\"http\" unix_path: \"/tmp/o.sock\" appears twice");
    assertThat(reg.blocking().list(ListRequest.getDefaultInstance()).getInstancesCount()).isEqualTo(1);
  }

  @Test
  void register_withAUnixPathThatIsNotNormal_isInvalidArgumentNamingItsNormalForm() throws Exception {
    for (String path : List.of("/tmp/./o.sock", "/tmp/x/../o.sock", "/tmp//o.sock", "/tmp/o.sock/")) {
      AttachClient client = reg.attach();
      client.send(Register.newBuilder().setService("orders").setPid(ProcessHandle.current().pid())
          .addEndpoints(EndpointRequest.newBuilder().setName("main").setUnixPath(path)).build());

      Status status = client.awaitEnd();
      assertThat(status.getCode()).as(path).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(status.getDescription()).as(path).isEqualTo("endpoint \"main\" unix_path: \"" + path
          + "\" (expected: a normal path, \"/tmp/o.sock\": no '.' or '..' segment, no '//' or "
          + "trailing '/')");
    }
  }

  @Test
  void ready_whenNothingListensAtTheUnixPath_isFailedPreconditionNamingIt() throws Exception {
    String path = sockets.resolve("nobody.sock").toString();
    AttachClient orders = reg.attach();
    orders.register(unix("orders", "main", path));

    sendReady(orders);

    Status status = orders.awaitEnd();
    assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(status.getDescription()).contains("\"" + path + "\"", "nothing listens");
  }

  @Test
  void ready_whenTheUnixSocketIsAnotherProcesss_isFailedPreconditionNamingIt() throws Exception {
    Path path = listen("squatted.sock"); // this JVM listens; the instance claims to be `sleep`
    Process other = new ProcessBuilder("sleep", "60").start();
    cleanup.add(0, () -> {
      other.destroyForcibly();
      other.waitFor(10, TimeUnit.SECONDS);
    });
    AttachClient orders = reg.attach();
    orders.register(unix("orders", "main", path.toString()).toBuilder().setPid(other.pid()).build());

    sendReady(orders);

    Status status = orders.awaitEnd();
    assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(status.getDescription()).contains("\"" + path + "\"",
        "held by pid " + ProcessHandle.current().pid(), "not by pid " + other.pid());
  }

  @Test
  void register_withAUnixPathAnotherInstanceHolds_isAlreadyExists() throws Exception {
    Path path = listen("orders.sock");
    AttachClient first = reg.attach();
    first.register(unix("orders", "main", path.toString()));
    first.ready();

    AttachClient second = reg.attach();
    second.send(unix("billing", "main", path.toString()));

    Status status = second.awaitEnd();
    assertThat(status.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(status.getDescription()).contains("\"" + path + "\"", "live instance orders-");
    // the first keeps it; once it is gone the path is free again
    first.complete();
    AttachClient third = reg.attach();
    assertThat(third.register(unix("billing", "main", path.toString())).getEndpoints(0)
        .getUnixPath()).isEqualTo(path.toString());
  }

  @Test
  void serviceDiscovery_skipsAMetricsEndpointOnAUnixSocket() throws Exception {
    Path path = listen("metrics.sock");
    AttachClient orders = reg.attach();
    orders.register(unix("orders", "metrics", path.toString()));
    orders.ready();

    HttpResponse<String> sd = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + reg.registry.metricsPort() + "/sd"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(sd.body()).contains("\"service\":\"berth\"").doesNotContain("orders", "unix");
    // still found by name, at its path
    assertThat(reg.blocking().resolve(ResolveRequest.newBuilder().setService("orders")
        .setEndpoint("metrics").build()).getTargetsList()).extracting(Target::getUnixPath)
        .containsExactly(path.toString());
  }

  // ---- also_unix_path: a Unix socket a TCP endpoint serves on too (issue 11) ----

  private static Register alsoUnix(String service, String path) {
    return Register.newBuilder().setService(service).setPid(ProcessHandle.current().pid())
        .addEndpoints(EndpointRequest.newBuilder().setName("main").setAlsoUnixPath(path)).build();
  }

  @Test
  void attach_withAlsoUnixPath_keepsThePortAndShowsThePathBesideIt() throws Exception {
    Path path = listen("orders.main.0.sock");
    AttachClient orders = reg.attach();

    Assigned assigned = orders.register(alsoUnix("orders", path.toString()));
    orders.ready();

    assertThat(assigned.getEndpoints(0).getPort()).isPositive();
    Target resolved = reg.blocking().resolve(ResolveRequest.newBuilder().setService("orders")
        .build()).getTargets(0);
    assertThat(resolved.getPort()).isEqualTo(assigned.getEndpoints(0).getPort());
    assertThat(resolved.getHost()).isEqualTo("127.0.0.1");
    assertThat(resolved.getUnixPath()).isEmpty();
    assertThat(resolved.getAlsoUnixPath()).isEqualTo(path.toString());
    assertThat(reg.blocking().list(ListRequest.getDefaultInstance()).getInstancesList().stream()
        .filter(i -> i.getService().equals("orders")).findFirst().orElseThrow()
        .getEndpoints(0).getAlsoUnixPath()).isEqualTo(path.toString());
    // the registry removes no socket file, not even when the instance goes
    orders.complete();
    assertThat(Files.exists(path)).isTrue();
  }

  @Test
  void register_withUnusableAlsoUnixPath_isInvalidArgumentNamingIt() throws Exception {
    List<EndpointRequest> bad = List.of(
        EndpointRequest.newBuilder().setName("main").setAlsoUnixPath("relative/o.sock").build(),
        EndpointRequest.newBuilder().setName("main").setAlsoUnixPath("/" + "x".repeat(107)).build(),
        EndpointRequest.newBuilder().setName("main").setAlsoUnixPath("/tmp/x/../o.sock").build(),
        EndpointRequest.newBuilder().setName("main").setAlsoUnixPath("/tmp/o.sock")
            .setUnixPath("/tmp/p.sock").build());
    for (EndpointRequest e : bad) {
      AttachClient client = reg.attach();
      client.send(Register.newBuilder().setService("orders").setPid(ProcessHandle.current().pid())
          .addEndpoints(e).build());

      Status status = client.awaitEnd();
      assertThat(status.getCode()).as("%s", e).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(status.getDescription()).as("%s", e).contains("\"main\" also_unix_path",
          "\"" + e.getAlsoUnixPath().substring(0, 8));
    }
  }

  @Test
  void ready_whenNothingListensAtTheAlsoUnixPath_isFailedPreconditionNamingIt() throws Exception {
    String path = sockets.resolve("nobody.sock").toString();
    AttachClient orders = reg.attach();
    orders.register(alsoUnix("orders", path));
    orders.listen(); // the port is held: only the socket is missing

    sendReady(orders);

    Status status = orders.awaitEnd();
    assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(status.getDescription()).contains("also_unix_path \"" + path + "\"", "nothing listens");
    assertThat(reg.blocking().list(ListRequest.getDefaultInstance()).getInstancesList())
        .noneMatch(i -> i.getService().equals("orders"));
  }

  @Test
  void ready_whenTheAlsoUnixSocketIsAnotherProcesss_isFailedPreconditionNamingItsHolder() throws Exception {
    // another process listens at the path; the instance (this JVM) holds its port, not that socket
    Path path = sockets.resolve("foreign.sock");
    Path source = sockets.resolve("Squat.java");
    Files.writeString(source, "public class Squat { public static void main(String[] a) throws Exception {"
        + " var s = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);"
        + " s.bind(java.net.UnixDomainSocketAddress.of(a[0])); System.out.println(\"listening\");"
        + " Thread.sleep(60_000); } }");
    // started through a shell that exits at once, so it is no descendant of this JVM; its output
    // goes to a file, not to the shell's pipe: the JDK closes a process's stdout once the process
    // (the shell) exits, and a line the squatter printed after that would be lost
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = sockets.resolve("squat.log");
    Process shell = new ProcessBuilder("sh", "-c", "\"$0\" \"$1\" \"$2\" > \"$3\" 2>&1 & echo $!",
        java, source.toString(), path.toString(), log.toString()).redirectErrorStream(true).start();
    var out = new java.io.BufferedReader(new java.io.InputStreamReader(shell.getInputStream()));
    ProcessHandle squatter = ProcessHandle.of(Long.parseLong(out.readLine().trim())).orElseThrow();
    cleanup.add(0, () -> {
      squatter.destroyForcibly();
      squatter.onExit().get(10, TimeUnit.SECONDS);
    });
    shell.waitFor(10, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!(Files.exists(log) && Files.readString(log).contains("listening"))) {
      assertThat(squatter.isAlive()).as("the squatter runs; its output: %s",
          Files.exists(log) ? Files.readString(log) : "(none)").isTrue();
      assertThat(System.nanoTime()).as("the squatter listens within 30 s").isLessThan(deadline);
      Thread.sleep(20);
    }
    AttachClient orders = reg.attach();
    orders.register(alsoUnix("orders", path.toString()));
    orders.listen();

    sendReady(orders);

    Status status = orders.awaitEnd();
    assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(status.getDescription()).contains("also_unix_path \"" + path + "\"",
        "held by pid " + squatter.pid(), "not by pid " + ProcessHandle.current().pid());
    assertThat(Files.exists(path)).as("the registry leaves the other's socket alone").isTrue();
  }
}
