package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proto.v1.AttachRequest;
import dev.berth.proto.v1.AttachResponse;
import dev.berth.proto.v1.EndpointRequest;
import dev.berth.proto.v1.Ready;
import dev.berth.proto.v1.Register;
import dev.berth.proto.v1.ResolveRequest;
import dev.berth.proto.v1.Target;
import dev.berth.registry.internal.ProcessSockets;
import dev.berth.testing.JdwpHandshake;
import dev.berth.testing.TestPools;
import io.grpc.Status;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JDWP agent (a real child JVM) closes its listening socket while a debugger is attached and
 * holds only the accepted connection: the registry takes that connection as the instance's hold
 * on its {@code debug} endpoint, at {@code ready} and at an {@code already_bound} re-attach
 * after a restart, and still refuses the port once neither the agent nor a debugger is there.
 */
@Timeout(90)
class AttachedDebuggerTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;
  private TestRegistry reg;
  private Process agent;
  private Socket debugger;
  private Process sleeper;

  @AfterEach
  void tearDown() throws Exception {
    if (debugger != null) {
      debugger.close();
    }
    for (Process p : new Process[] {agent, sleeper}) {
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
  void debugEndpoint_whileADebuggerIsAttached_isReady() throws Exception {
    int port = startAgent();
    attachDebugger(port);
    reg = TestRegistry.start(dir, 4);

    // a debugger that attached as soon as the agent listened, before the instance's ready
    AttachClient first = reg.attach();
    first.register(lease(port, false));
    first.send(AttachRequest.newBuilder().setReady(Ready.getDefaultInstance()).build());

    AttachResponse live = first.awaitResponse();
    assertThat(live.hasLive()).as("expected live, got %s", live).isTrue();
    assertResolvable(port);
  }

  @Test
  void debugEndpoint_whileADebuggerIsAttached_reattachesAfterARegistryRestart() throws Exception {
    int port = startAgent();
    int pool = TestPools.take(4).first();
    reg = TestRegistry.start(dir, pool, 4);
    // live before any debugger: the agent listens, so its port is already bound
    AttachClient first = reg.attach();
    first.register(lease(port, true));
    first.send(AttachRequest.newBuilder().setReady(Ready.getDefaultInstance()).build());
    assertThat(first.awaitResponse().hasLive()).isTrue();

    // a debugger attaches to the live instance, then the registry restarts; the lease comes
    // back with the port already bound
    attachDebugger(port);
    reg.close();
    reg = TestRegistry.start(dir, pool, 4);
    AttachClient again = reg.attach();
    AttachResponse assigned = again.send(lease(port, true)).awaitResponse();
    assertThat(assigned.hasAssigned()).as("expected assigned, got %s", assigned).isTrue();
    assertThat(assigned.getAssigned().getEndpoints(0).getPort()).isEqualTo(port);
    again.send(AttachRequest.newBuilder().setReady(Ready.getDefaultInstance()).build());

    AttachResponse back = again.awaitResponse();
    assertThat(back.hasLive()).as("expected live, got %s", back).isTrue();
    assertResolvable(port);
  }

  @Test
  void debugEndpoint_withNeitherAgentNorDebugger_isStillRefused() throws Exception {
    int port = startAgent();
    attachDebugger(port);
    debugger.close(); // the debugger detaches
    long pid = agent.pid();
    agent.destroyForcibly();
    assertThat(agent.waitFor(10, TimeUnit.SECONDS)).isTrue();
    reg = TestRegistry.start(dir, 4);

    AttachClient gone = reg.attach();
    gone.send(lease(port, true).toBuilder().setPid(pid).build());

    Status end = gone.awaitEnd();
    assertThat(end.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(end.getDescription()).contains("already_bound", "\"debug\"", "port " + port,
        "nothing listens on it");
  }

  @Test
  void debugEndpoint_whenTheAttachedAgentIsAnotherProcesss_isRefused() throws Exception {
    int port = startAgent();
    attachDebugger(port);
    reg = TestRegistry.start(dir, 4);

    // a process that is not the agent (nor its ancestor, as this JVM is) claims the port: the
    // accepted connection is the agent's, not its
    sleeper = new ProcessBuilder("sleep", "60").start();
    AttachClient thief = reg.attach();
    thief.send(lease(port, true).toBuilder().setPid(sleeper.pid()).build());

    Status end = thief.awaitEnd();
    assertThat(end.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(end.getDescription()).contains("already_bound", "\"debug\"", "port " + port,
        "nothing listens on it");
  }

  private Register lease(int port, boolean alreadyBound) {
    return Register.newBuilder().setService("orders").setPid(agent.pid())
        .addEndpoints(EndpointRequest.newBuilder().setName("debug").setPort(port)
            .setAlreadyBound(alreadyBound))
        .build();
  }

  private void assertResolvable(int port) throws Exception {
    List<Target> targets = reg.blocking().resolve(ResolveRequest.newBuilder()
        .setService("orders").setEndpoint("debug").build()).getTargetsList();
    assertThat(targets).extracting(Target::getPort).containsExactly(port);
    assertThat(targets.get(0).getHost()).isEqualTo("127.0.0.1");
  }

  /** A child JVM whose only listener is a JDWP agent on a port of its own; returns the port. */
  private int startAgent() throws Exception {
    int port = TestPools.port();
    agent = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:" + port,
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
        "-cp", System.getProperty("java.class.path"), Sleeper.class.getName())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
    // bounded: the agent prints this before main runs, or the JVM exits (null)
    String line = out.readLine();
    assertThat(line).as("the agent's first line").isNotNull()
        .contains("Listening for transport dt_socket at address: " + port);
    return port;
  }

  /** A debugger that stays attached, once the agent no longer listens (what this test is about). */
  private void attachDebugger(int port) throws Exception {
    debugger = JdwpHandshake.hold("127.0.0.1", port, WAIT);
    ProcessSockets sockets = ProcessSockets.system();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!sockets.listeners(port).isEmpty()) {
      assertThat(System.nanoTime()).as("the agent still listens on %d with a debugger attached",
          port).isLessThan(deadline);
      Thread.sleep(20);
    }
    assertThat(sockets.connectedSockets(port)).as("the accepted connection").isNotEmpty();
  }

  /** The debugged program: it only sleeps. */
  public static final class Sleeper {
    public static void main(String[] args) throws InterruptedException {
      Thread.sleep(TimeUnit.MINUTES.toMillis(2));
    }
  }
}
