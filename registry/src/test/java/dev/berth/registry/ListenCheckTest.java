package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proto.v1.Assigned;
import dev.berth.proto.v1.AttachRequest;
import dev.berth.proto.v1.EndpointRequest;
import dev.berth.proto.v1.Ready;
import dev.berth.proto.v1.Register;
import dev.berth.proto.v1.ResolveRequest;
import dev.berth.proto.v1.Target;
import dev.berth.testing.TestPools;
import io.grpc.Status;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry believes no {@code ready} and no {@code already_bound} it has not checked, and
 * advertises the host an instance really listens on.
 */
class ListenCheckTest {

  @TempDir Path dir;
  private TestRegistry reg;
  private Process child;
  private Process sleeper;

  @AfterEach
  void tearDown() throws Exception {
    for (Process p : new Process[] {child, sleeper}) {
      if (p != null) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (reg != null) {
      reg.close();
    }
  }

  @Test
  void ready_withoutListening_failsPreconditionNamingThePortAndOthersStay() throws Exception {
    reg = TestRegistry.start(dir, 4);
    AttachClient bystander = reg.attach();
    bystander.attachLive("bystander");
    AttachClient liar = reg.attach();
    int port = liar.register(AttachClient.register("liar")).getEndpoints(0).getPort();

    liar.send(AttachRequest.newBuilder().setReady(Ready.getDefaultInstance()).build());

    Status end = liar.awaitEnd();
    assertThat(end.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(end.getDescription()).contains("ready", "\"main\"", "port " + port,
        "nothing listens on it");
    assertThat(bystander.isQuiet()).isTrue();
    assertThat(reg.blocking().resolve(ResolveRequest.newBuilder().setService("bystander").build())
        .getTargetsCount()).isEqualTo(1);
  }

  @Test
  void ready_withPidZero_onLinux_failsPreconditionAskingForThePid() throws Exception {
    reg = TestRegistry.start(dir, 4);
    AttachClient anonymous = reg.attach();
    int port = anonymous.register(AttachClient.register("anonymous").toBuilder().setPid(0).build())
        .getEndpoints(0).getPort();
    anonymous.listen(); // this JVM listens: the port is held, but by nobody the registry can match

    anonymous.send(AttachRequest.newBuilder().setReady(Ready.getDefaultInstance()).build());

    Status end = anonymous.awaitEnd();
    assertThat(end.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(end.getDescription()).contains("port " + port, "pid 0", "Register.pid",
        "pid " + ProcessHandle.current().pid());
  }

  @Test
  void alreadyBound_onAPortAnotherProcessHolds_failsPreconditionNamingItsPid() throws Exception {
    reg = TestRegistry.start(dir, 4);
    int port = startPythonListener();
    // the thief registers as a process of its own (a sibling of the listener, not its parent)
    sleeper = new ProcessBuilder("sleep", "60").start();
    AttachClient thief = reg.attach();

    thief.send(AttachClient.register("thief").toBuilder().clearEndpoints().setPid(sleeper.pid())
        .addEndpoints(EndpointRequest.newBuilder().setPort(port).setAlreadyBound(true)).build());

    Status end = thief.awaitEnd();
    assertThat(end.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(end.getDescription()).contains("already_bound", "port " + port,
        "held by pid " + child.pid(), "python3", "not by pid " + sleeper.pid());
  }

  @Test
  void alreadyBound_onAFreePort_failsPrecondition() throws Exception {
    reg = TestRegistry.start(dir, 4);
    int port = TestPools.take(1).first();
    AttachClient thief = reg.attach();

    thief.send(AttachClient.register("thief").toBuilder().clearEndpoints()
        .addEndpoints(EndpointRequest.newBuilder().setPort(port).setAlreadyBound(true)).build());

    Status end = thief.awaitEnd();
    assertThat(end.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(end.getDescription()).contains("port " + port, "nothing listens on it");
  }

  @Test
  void ready_whenTheListenerIsNotTheRegisteringProcesss_failsPreconditionNamingTheHolder()
      throws Exception {
    reg = TestRegistry.start(dir, 4);
    // registers as a live process that does not listen (a child); this JVM listens
    sleeper = new ProcessBuilder("sleep", "60").start();
    AttachClient other = reg.attach();
    int port = other.register(AttachClient.register("other").toBuilder().setPid(sleeper.pid())
        .build()).getEndpoints(0).getPort();
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));

      other.send(AttachRequest.newBuilder().setReady(Ready.getDefaultInstance()).build());

      Status end = other.awaitEnd();
      assertThat(end.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(end.getDescription()).contains("port " + port,
          "held by pid " + ProcessHandle.current().pid(), "not by pid " + sleeper.pid());
    }
  }

  @Test
  void ready_whenItsOwnListenerIsOnAnotherLoopbackAddress_failsPrecondition() throws Exception {
    reg = TestRegistry.start(dir, 4);
    AttachClient elsewhere = reg.attach();
    int port = elsewhere.register(AttachClient.register("elsewhere")).getEndpoints(0).getPort();
    // this JVM's own socket, on loopback, but where a connect to 127.0.0.1 does not reach it:
    // the quick check (the registering pid's own listener) must not take it for 127.0.0.1
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), port));

      elsewhere.send(AttachRequest.newBuilder().setReady(Ready.getDefaultInstance()).build());

      Status end = elsewhere.awaitEnd();
      assertThat(end.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(end.getDescription()).contains("port " + port, "nothing listens on it");
    }
  }

  @Test
  void ready_onIpv6LoopbackOnly_advertisesColonColonOne() throws Exception {
    reg = TestRegistry.start(dir, 4);
    AttachClient v6 = reg.attach();
    AttachClient v4 = reg.attach();
    Assigned a = v6.register(AttachClient.register("six"));
    int port = a.getEndpoints(0).getPort();
    v4.attachLive("four");
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName("::1"), port));

      v6.send(AttachRequest.newBuilder().setReady(Ready.getDefaultInstance()).build());
      assertThat(v6.awaitResponse().hasLive()).isTrue();

      Target six = reg.blocking().resolve(ResolveRequest.newBuilder().setService("six").build())
          .getTargets(0);
      assertThat(six.getHost()).isEqualTo("::1");
      assertThat(six.getPort()).isEqualTo(port);
      Target four = reg.blocking().resolve(ResolveRequest.newBuilder().setService("four").build())
          .getTargets(0);
      assertThat(four.getHost()).isEqualTo("127.0.0.1");
    }
  }

  /** A real foreign listener: a python3 child on 127.0.0.1, port 0; returns its port. */
  private int startPythonListener() throws Exception {
    child = new ProcessBuilder("python3", "-c",
        "import socket,sys\n"
            + "s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen()\n"
            + "print(s.getsockname()[1], flush=True)\n"
            + "sys.stdin.read()\n")
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine(); // bounded: the child prints at once or exits (null)
    assertThat(line).as("python3 printed its port").isNotNull();
    return Integer.parseInt(line.trim());
  }
}
