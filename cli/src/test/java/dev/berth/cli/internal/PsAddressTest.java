package dev.berth.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proto.v1.StackProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** berth ps with a debugger's port: ADDRESS stays the service's own, DEBUG shows the agent's, --json has both. */
class PsAddressTest {

  static final StackProcess ORDERS = StackProcess.newBuilder().setService("orders").setInstance(1)
      .setState("live").putPorts("debug", 61003).putPorts("main", 61001).build();
  static final StackProcess WEB = StackProcess.newBuilder().setService("web").setInstance(1).setState("live")
      .putPorts("metrics", 61002).putPorts("http", 61004).build();

  @Test
  void address_leavesDebugToItsOwnColumn() {
    assertThat(PsCommand.address(ORDERS)).isEqualTo("127.0.0.1:61001");
    assertThat(PsCommand.address(WEB)).isEqualTo("http=127.0.0.1:61004 metrics=127.0.0.1:61002");
  }

  @Test
  void table_hasADebugColumn_onlyWhenAProcessHasADebugger() {
    String[] lines = table(List.of(ORDERS, WEB)).split("\n");
    assertThat(lines[0]).matches("SERVICE +INSTANCE +STATE +PID +ADDRESS +DEBUG +RESTARTS +UPTIME");
    assertThat(lines[1]).matches("orders +1 +live +- +127\\.0\\.0\\.1:61001 +127\\.0\\.0\\.1:61003 +0 +-");
    assertThat(lines[2]).matches("web +1 +live +- +http=127\\.0\\.0\\.1:61004 metrics=127\\.0\\.0\\.1:61002 +- +0 +-");
    assertThat(table(List.of(WEB)).split("\n")[0]).matches("SERVICE +INSTANCE +STATE +PID +ADDRESS +RESTARTS +UPTIME");
  }

  @Test
  void json_listsDebugAmongThePorts() {
    StringWriter text = new StringWriter();
    PsCommand.json(List.of(ORDERS), new PrintWriter(text));
    assertThat(text.toString()).contains("\"address\": \"127.0.0.1:61001\", \"ports\": {\"main\": 61001, \"debug\": 61003}");
  }

  private static String table(List<StackProcess> processes) {
    StringWriter text = new StringWriter();
    PsCommand.table(processes, new PrintWriter(text), Instant.now());
    return text.toString();
  }
}
