package dev.berth.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.berth.proto.v1.PortConflict;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code berth conflicts} table: a long holder command line is cut, and --wide shows it. */
class ConflictsTableTest {

  private static final String LONG_COMMAND = "java -Dlog.level=debug -jar /opt/services/payments/"
      + "build/libs/payments-service-all.jar --port 8080 --profile local";

  private static List<PortConflict> conflicts() {
    return List.of(PortConflict.newBuilder().setTime(Timestamp.newBuilder().setSeconds(1_700_000_000))
        .setService("web").setEndpoint("http").setPort(8080).setCause("requested_taken")
        .setHolderPid(977).setHolderCommandLine(LONG_COMMAND).build());
  }

  private static String table(boolean wide) {
    StringWriter out = new StringWriter();
    ConflictsCommand.printTable(conflicts(), wide, new PrintWriter(out, true));
    return out.toString();
  }

  @Test
  void table_cutsALongHolder_andSaysHowToSeeItWhole() {
    String table = table(false);

    assertThat(table).doesNotContain(LONG_COMMAND)
        .contains("pid 977 " + LONG_COMMAND.substring(0, ConflictsCommand.HOLDER_WIDTH - 3) + "...");
    assertThat(table.lines().toList()).last().asString().contains("--wide");
  }

  @Test
  void wideTable_showsTheHolderWhole_withNoFooter() {
    String table = table(true);

    assertThat(table).contains("pid 977 " + LONG_COMMAND);
    assertThat(table.lines().toList()).hasSize(2);
  }

  @Test
  void help_saysHowToSeeTheHolderWhole() {
    StringWriter help = new StringWriter();
    new picocli.CommandLine(new ConflictsCommand()).usage(new PrintWriter(help, true));

    assertThat(help.toString()).contains("cut at 60 characters; --wide or --json shows it");
  }
}
