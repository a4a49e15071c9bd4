package dev.berth.cli.internal.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cli.internal.stack.ServiceSpec.LeaseMode;
import dev.berth.cli.internal.stack.ServiceSpec.RestartPolicy;
import dev.berth.local.DnsLabel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcfileTest {

  @TempDir Path dir;

  @Test
  void foremanFile_eachLineIsAServiceRunBySh() throws IOException {
    write("""
        # the web tier
        web: bundle exec rails server -p $PORT

        worker:   python3 worker.py --queue default  \r
        clock:exec ./clock
        """);

    StackFile stack = load();

    assertThat(stack.kind()).isEqualTo(StackFile.Kind.PROCFILE);
    assertThat(stack.file()).isEqualTo(dir.resolve("Procfile"));
    assertThat(stack.namespace()).isEqualTo(StackNamespace.forDir(dir));
    assertThat(stack.services()).extracting(ServiceSpec::name).containsExactly("web", "worker", "clock");
    ServiceSpec web = stack.services().get(0);
    assertThat(web.command()).containsExactly("sh", "-c", "bundle exec rails server -p $PORT");
    assertThat(web.dir()).isEqualTo(dir);
    assertThat(web.env()).isEmpty();
    assertThat(web.endpoints()).containsExactly("main");
    assertThat(web.dependsOn()).isEmpty();
    assertThat(web.ready()).isEmpty();
    assertThat(web.restart().mode()).isEqualTo(RestartPolicy.Mode.NO);
    assertThat(web.instances()).isEqualTo(1);
    assertThat(web.lease()).isEqualTo(LeaseMode.RUNNER);
    assertThat(web.mark()).isEqualTo(new SourceMark(dir.resolve("Procfile"), 2, 1));
    assertThat(stack.services().get(1).command()).containsExactly("sh", "-c", "python3 worker.py --queue default");
    assertThat(stack.services().get(2).command()).containsExactly("sh", "-c", "exec ./clock");
  }

  @Test
  void dotEnvBesideIt_isEveryProcesssEnv_asForemanReadsIt() throws IOException {
    write("web: x\nworker: y\n");
    Files.writeString(dir.resolve(".env"), """
        # comment
        DATABASE_URL=postgres://localhost/db
        SINGLE='a "b" $c'
        DOUBLE="line1\\nline2 \\"q\\""
        TEMPLATE=${HOME}/x
        not a variable
        EMPTY=
        PORT=5000
        BERTH_NAMESPACE=x
        """);

    StackFile stack = load();

    Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put("DATABASE_URL", "postgres://localhost/db");
    expected.put("SINGLE", "a \"b\" $c");
    expected.put("DOUBLE", "line1\nline2 \"q\"");
    expected.put("TEMPLATE", "$${HOME}/x");
    expected.put("EMPTY", "");
    assertThat(stack.services()).allSatisfy(s -> assertThat(s.env()).containsExactlyEntriesOf(expected));
    assertThat(EnvTemplate.expand(stack.services().get(0).env().get("TEMPLATE"), ref -> {
      throw new AssertionError("a .env value is literal: " + ref);
    })).isEqualTo("${HOME}/x");
  }

  @Test
  void nameNotADnsLabel_namesTheFix() throws IOException {
    write("web: x\nWeb_Worker: y\n");
    assertThatThrownBy(this::load).isInstanceOf(StackFileException.class)
        .hasMessage(dir.resolve("Procfile") + ":2:1: process name 'Web_Worker' is not a DNS label (expected: "
            + DnsLabel.RULE + "; rename it, e.g. 'web-worker')");
  }

  @Test
  void lineThatIsNotAProcess_isRefused() throws IOException {
    write("web: x\n  indented: y\n");
    assertThatThrownBy(this::load)
        .hasMessage(dir.resolve("Procfile") + ":2:1: 'indented: y' (expected: 'name: command' at the start"
            + " of the line, a # comment or a blank line)");
    write("web: x\njust words\n");
    assertThatThrownBy(this::load)
        .hasMessage(dir.resolve("Procfile") + ":2:1: 'just words' (expected: 'name: command' at the start"
            + " of the line, a # comment or a blank line)");
  }

  @Test
  void emptyCommand_duplicateName_noProcesses() throws IOException {
    write("web:   \n");
    assertThatThrownBy(this::load)
        .hasMessage(dir.resolve("Procfile") + ":1:5: process 'web' has no command (expected: 'name: command')");
    write("web: a\nworker: b\nweb: c\n");
    assertThatThrownBy(this::load)
        .hasMessage(dir.resolve("Procfile") + ":3:1: duplicate process 'web' (first at line 1; keep one)");
    write("# only comments\n\n");
    assertThatThrownBy(this::load)
        .hasMessage(dir.resolve("Procfile") + ": no processes (expected: lines 'name: command')");
  }

  @Test
  void noSh_isRefusedAtTheCommand() throws IOException {
    write("web:  exec x\n");
    assertThatThrownBy(() -> StackFiles.load(dir, Optional.empty(), Map.of("PATH", dir.toString())))
        .hasMessageStartingWith(dir.resolve("Procfile") + ":1:7: 'sh' not found on $PATH");
  }

  @Test
  void procfileOnly_isFoundFromASubdirectory() throws IOException {
    write("web: x\n");
    Path sub = Files.createDirectories(dir.resolve("app"));
    assertThat(StackFiles.load(sub, Optional.empty(), StackFilesTest.ENV).services())
        .extracting(ServiceSpec::command).containsExactly(List.of("sh", "-c", "x"));
  }

  private StackFile load() {
    return StackFiles.load(dir, Optional.empty(), StackFilesTest.ENV);
  }

  private void write(String text) throws IOException {
    Files.writeString(dir.resolve("Procfile"), text);
  }
}
