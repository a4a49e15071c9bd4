package dev.berth.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proto.v1.StackProcess;
import org.junit.jupiter.api.Test;

/** berth ps's ADDRESS column: main first, a debugger's port last. */
class PsAddressTest {

  @Test
  void address_mainFirst_debugLast_theRestByName() {
    StackProcess p = StackProcess.newBuilder().putPorts("debug", 61003).putPorts("metrics", 61002)
        .putPorts("main", 61001).putPorts("admin", 61004).build();
    assertThat(PsCommand.address(p))
        .isEqualTo("main=127.0.0.1:61001 admin=127.0.0.1:61004 metrics=127.0.0.1:61002 debug=127.0.0.1:61003");
    assertThat(PsCommand.address(StackProcess.newBuilder().putPorts("http", 61005).putPorts("debug", 61006).build()))
        .isEqualTo("http=127.0.0.1:61005 debug=127.0.0.1:61006");
  }
}
