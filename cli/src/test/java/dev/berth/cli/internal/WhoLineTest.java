package dev.berth.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proto.v1.BerthHolder;
import dev.berth.proto.v1.ProcessInfo;
import dev.berth.proto.v1.WhoHasResponse;
import dev.berth.registry.internal.ProcessSockets;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The lines of {@code berth who} over a hand-written socket table (the real one: WhoIT). */
class WhoLineTest {

  private static final Path HOME = Path.of("/tmp/i13who-test/home");

  /** One listener per port, each held by a process with a command line and an environment. */
  private static final class FakeSockets implements ProcessSockets {
    final Map<Integer, Long> holders = new HashMap<>();
    final Map<Long, String> commandLines = new HashMap<>();
    final Map<Long, Map<String, String>> environments = new HashMap<>();

    FakeSockets listen(int port, long pid, String commandLine, Map<String, String> env) {
      holders.put(port, pid);
      commandLines.put(pid, commandLine);
      environments.put(pid, env);
      return this;
    }

    @Override
    public boolean available() {
      return true;
    }

    @Override
    public List<Listener> listeners(int port) {
      return holders.containsKey(port)
          ? List.of(new Listener(InetAddress.getLoopbackAddress(), port, 0, port)) : List.of();
    }

    @Override
    public Set<Long> socketInodes(long pid) {
      return Set.of();
    }

    @Override
    public OptionalLong ownerOf(long inode) {
      Long pid = holders.get((int) inode); // the inode is the port here
      return pid == null ? OptionalLong.empty() : OptionalLong.of(pid);
    }

    @Override
    public String commandLine(long pid) {
      return commandLines.getOrDefault(pid, "");
    }

    @Override
    public Map<String, String> environment(long pid) {
      return environments.getOrDefault(pid, Map.of());
    }
  }

  private static BerthHolder debugHolder(long pid) {
    return BerthHolder.newBuilder().setService("orders").setEndpoint("debug")
        .setInstanceId("orders-1").setPid(pid).build();
  }

  @Test
  void debugEndpoint_namesTheInstancesAgent_fromItsMetadata() {
    WhoLine who = new WhoLine(new FakeSockets(), HOME);
    WhoHasResponse r = WhoHasResponse.newBuilder().setPort(7420).setBerth(debugHolder(7)).build();

    assertThat(who.of(r, h -> Optional.of("jdwp")))
        .isEqualTo("port 7420: orders/debug, instance orders-1 (pid 7): that instance's Java debug agent (JDWP)");
    assertThat(who.of(r, h -> Optional.of("inspector")))
        .isEqualTo("port 7420: orders/debug, instance orders-1 (pid 7): that instance's Node inspector");
  }

  @Test
  void debugEndpoint_withoutMetadata_namesTheAgentOfTheProcessHoldingThePort() {
    // berth run (pid 7) holds the lease; its child JVM (pid 8) holds the port
    FakeSockets proc = new FakeSockets().listen(7421, 8, "java -cp app Main",
        Map.of("JAVA_TOOL_OPTIONS", "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:7421"));
    WhoLine who = new WhoLine(proc, HOME);

    assertThat(who.of(WhoHasResponse.newBuilder().setPort(7421).setBerth(debugHolder(7)).build(), h -> Optional.empty()))
        .isEqualTo("port 7421: orders/debug, instance orders-1 (pid 7): that instance's Java debug agent (JDWP), in pid 8");
    // a debug endpoint that nothing recognisable holds: the plain line
    assertThat(who.of(WhoHasResponse.newBuilder().setPort(7422).setBerth(debugHolder(7)).build(), h -> Optional.empty()))
        .isEqualTo("port 7422: orders/debug, instance orders-1 (pid 7)");
  }

  @Test
  void foreignProcess_withAnAgentInItsEnvironment_isNamedOnTheAgentsPortOnly() {
    Map<String, String> env = Map.of("JAVA_TOOL_OPTIONS",
        "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:7423");
    FakeSockets proc = new FakeSockets().listen(7423, 9, "java -cp app Main", env);
    proc.holders.put(7424, 9L);
    WhoLine who = new WhoLine(proc, HOME);

    assertThat(who.of(process(7423, 9, "java -cp app Main"), h -> Optional.empty()))
        .isEqualTo("port 7423: held by pid 9 outside Berth: java -cp app Main (a Java debug agent (JDWP) of pid 9)");
    assertThat(who.of(process(7424, 9, "java -cp app Main"), h -> Optional.empty()))
        .isEqualTo("port 7424: held by pid 9 outside Berth: java -cp app Main");
    assertThat(who.fromProc(7423))
        .isEqualTo("port 7423: held by pid 9 outside Berth: java -cp app Main (a Java debug agent (JDWP) of pid 9)");
    assertThat(who.fromProc(7425)).isEqualTo("port 7425: nothing listens on it");
  }

  @Test
  void registries_areNamedByStateDir_notAsProcessesOutsideBerth() {
    String mine = "java dev.berth.registry.Main --home " + HOME;
    String other = "java dev.berth.registry.Main --home /tmp/i13who-other";
    FakeSockets proc = new FakeSockets().listen(7426, 10, mine, Map.of()).listen(7427, 11, other, Map.of());
    WhoLine who = new WhoLine(proc, HOME);
    BerthHolder self = BerthHolder.newBuilder().setService("berth").setEndpoint("registry")
        .setInstanceId("registry").setPid(10).build();

    assertThat(who.of(WhoHasResponse.newBuilder().setPort(7426).setBerth(self).build(), h -> Optional.empty()))
        .isEqualTo("port 7426: the Berth registry of this state dir (" + HOME + "), pid 10");
    assertThat(who.of(process(7427, 11, other), h -> Optional.empty()))
        .isEqualTo("port 7427: a Berth registry of another state dir, /tmp/i13who-other (pid 11): "
            + "BERTH_HOME=/tmp/i13who-other berth ls shows its instances");
    // no /proc to tell the registry's state dir by: the registry's own words
    assertThat(new WhoLine(ProcessSockets.unavailable(), HOME)
        .of(WhoHasResponse.newBuilder().setPort(7426).setBerth(self).build(), h -> Optional.empty()))
        .isEqualTo("port 7426: berth/registry, instance registry (pid 10)");
  }

  private static WhoHasResponse process(int port, long pid, String commandLine) {
    return WhoHasResponse.newBuilder().setPort(port)
        .setProcess(ProcessInfo.newBuilder().setPid(pid).setCommandLine(commandLine)).build();
  }
}
