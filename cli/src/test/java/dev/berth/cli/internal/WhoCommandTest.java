package dev.berth.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WhoCommandTest {

  @Test
  void debugAgent_namesJdwpAndNodeInspectorsFromTheCommandLine() {
    assertThat(WhoCommand.debugAgent("java -agentlib:jdwp=transport=dt_socket,server=y -jar a.jar"))
        .isEqualTo("a Java debug agent (JDWP)");
    assertThat(WhoCommand.debugAgent("java -Xrunjdwp:transport=dt_socket -cp x Main"))
        .isEqualTo("a Java debug agent (JDWP)");
    assertThat(WhoCommand.debugAgent("node --inspect=127.0.0.1:9229 server.js"))
        .isEqualTo("a Node inspector");
    assertThat(WhoCommand.debugAgent("node --inspect-brk server.js")).isEqualTo("a Node inspector");
    assertThat(WhoCommand.debugAgent("java -jar orders.jar --inspector")).isEmpty();
  }
}
