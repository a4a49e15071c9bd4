package dev.berth.cli.internal.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.local.DnsLabel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a berth.yaml is refused: one line, {@code FILE:LINE:COLUMN: what (expected: ...)},
 * the mark on the key or value that is wrong.
 */
class StackYamlErrorsTest {

  @TempDir Path dir;

  @Test
  void unknownKey_nearAKnownOne_suggestsIt() {
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            depends-on: [catalog]
        """, "4:5: services.orders: unknown key 'depends-on' (did you mean 'depends_on'?)");
  }

  @Test
  void unknownKey_farFromAnyKnownOne_listsTheKnownKeys() {
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            colour: red
        """, "4:5: services.orders: unknown key 'colour' (expected: one of command, dir, env,"
        + " endpoints, depends_on, ready, restart, instances, lease, debug)");
  }

  @Test
  void unknownKey_atTopLevel_suggestsServices() {
    assertError("""
        servics:
          orders:
            command: [sleep, '1']
        """, "1:1: berth.yaml: unknown key 'servics' (did you mean 'services'?)");
  }

  @Test
  void extensionKeyAtTopLevel_isIgnored() throws IOException {
    write("""
        x-common: &common
          restart: always
        services:
          orders:
            command: [sleep, '1']
        """);
    assertThat(load().services()).hasSize(1);
  }

  @Test
  void unknownKey_inReadyAndRestart_suggests() {
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            ready: {htp: /health}
        """, "4:13: services.orders.ready: unknown key 'htp' (did you mean 'http'?)");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            restart:
              max-restarts: 3
        """, "5:7: services.orders.restart: unknown key 'max-restarts' (did you mean 'max_restarts'?)");
  }

  @Test
  void wrongType_command_saysWhatItFoundAndExpected() {
    assertError("""
        services:
          orders:
            command: {run: x}
        """, "3:14: services.orders.command: a map (expected: a list of strings, or a string run by sh -c)");
    assertError("""
        services:
          orders:
            command:
        """, "3:13: services.orders.command: empty (expected: a list of strings, or a string run by sh -c)");
    assertError("""
        services:
          orders:
            command: []
        """, "3:14: services.orders.command: an empty list (expected: a list of strings, or a string run by sh -c)");
    assertError("""
        services:
          orders:
            command: [sleep, [1]]
        """, "3:22: services.orders.command[1]: a list (expected: a string)");
  }

  @Test
  void missingCommand_pointsAtTheService() {
    assertError("""
        services:
          orders:
            dir: .
        """, "2:3: services.orders: no command (expected: command: a list of strings, or a string run by sh -c)");
  }

  @Test
  void wrongType_servicesAndEnvAndDependsOn() {
    assertError("""
        services: [orders]
        """, "1:11: services: a list (expected: " + StackYaml.SERVICES_SHAPE + ")");
    assertError("""
        services:
          orders: sleep 1
        """, "2:11: services.orders: 'sleep 1' (expected: a map with at least command:)");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            env: [A=1]
        """, "4:10: services.orders.env: a list (expected: a map of variable name to value)");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            depends_on: catalog
        """, "4:17: services.orders.depends_on: 'catalog' (expected: a list of service names, e.g. [orders, catalog])");
  }

  @Test
  void badServiceName_namesTheRule() {
    assertError("""
        services:
          Orders:
            command: [sleep, '1']
        """, "2:3: services: bad service name 'Orders' (expected: " + DnsLabel.RULE + ")");
  }

  @Test
  void badEndpointName_andDuplicateAndEmpty() {
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            endpoints: [main, Admin_Port]
        """, "4:23: services.orders.endpoints: bad endpoint name 'Admin_Port' (expected: " + DnsLabel.RULE + ")");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            endpoints:
              - http
              - http
        """, "6:9: services.orders.endpoints: duplicate endpoint 'http' (keep one)");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            endpoints: []
        """, "4:16: services.orders.endpoints: an empty list (expected: a list of endpoint names, e.g. [main, admin]; leave it out for [main])");
  }

  @Test
  void dependsOn_unknownService_suggestsTheNearest() {
    assertError("""
        services:
          orders:
            command: [sleep, '1']
          gateway:
            command: [sleep, '1']
            depends_on: [ordrs]
        """, "6:18: services.gateway.depends_on: 'ordrs' is not a service of this file (did you mean 'orders'?)");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
          gateway:
            command: [sleep, '1']
            depends_on: [payments]
        """, "6:18: services.gateway.depends_on: 'payments' is not a service of this file (expected: one of orders)");
  }

  @Test
  void dependsOn_badNameAndDuplicate() {
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            depends_on: [a, a]
        """, "4:21: services.orders.depends_on: duplicate 'a' (keep one)");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            depends_on: [Catalog]
        """, "4:18: services.orders.depends_on: bad service name 'Catalog' (expected: " + DnsLabel.RULE + ")");
  }

  @Test
  void dependencyCycle_isNamedAtTheEdgeThatClosesIt() {
    assertError("""
        services:
          a:
            command: [sleep, '1']
            depends_on: [b]
          b:
            command: [sleep, '1']
            depends_on: [c]
          c:
            command: [sleep, '1']
            depends_on: [a]
        """, "4:18: services.a.depends_on: dependency cycle a -> b -> c -> a (expected: services that do not"
        + " wait for each other; a ${...} value is a dependency too; drop one of these)");
  }

  @Test
  void dependencyCycle_onItself() {
    assertError("""
        services:
          a:
            command: [sleep, '1']
            depends_on: [a]
        """, "4:18: services.a.depends_on: dependency cycle a -> a (expected: services that do not"
        + " wait for each other; a ${...} value is a dependency too; drop one of these)");
  }

  @Test
  void dependencyCycle_throughAnEnvReference_pointsAtTheValue() {
    assertError("""
        services:
          a:
            command: [sleep, '1']
            env:
              B_URL: ${b/http.url}
          b:
            command: [sleep, '1']
            endpoints: [http]
            depends_on: [a]
        """, "5:14: services.a.env.B_URL: dependency cycle a -> b -> a (expected: services that do not"
        + " wait for each other; a ${...} value is a dependency too; drop one of these)");
  }

  @Test
  void commandNotFound_onPath() {
    assertError("""
        services:
          orders:
            command: [no-such-program-berth, --port, '1']
        """, "3:15: services.orders.command: 'no-such-program-berth' not found on $PATH (expected: a program"
        + " on $PATH, or a path such as ./bin/no-such-program-berth relative to " + dir + ")");
  }

  @Test
  void commandString_checksShOnly() throws IOException {
    write("""
        services:
          orders:
            command: no-such-program-berth --port 1
        """);
    assertThat(load().services().get(0).command()).containsExactly("sh", "-c", "no-such-program-berth --port 1");

    assertThatThrownBy(() -> StackFiles.load(dir, Optional.empty(), Map.of("PATH", dir.toString())))
        .hasMessage(file() + ":3:14: services.orders.command: 'sh' not found on $PATH (expected: a program"
            + " on $PATH, or a path such as ./bin/sh relative to " + dir + ")");
  }

  @Test
  void commandPath_relativeToDir_mustExistAndBeExecutable() throws IOException {
    Files.createDirectories(dir.resolve("web/bin"));
    assertError("""
        services:
          web:
            dir: web
            command: [./bin/start]
        """, "4:15: services.web.command: './bin/start' not found: no " + dir.resolve("web/bin/start")
        + " (expected: a program, a path relative to " + dir.resolve("web") + ")");

    Path start = Files.writeString(dir.resolve("web/bin/start"), "#!/bin/sh\n");
    assertError("""
        services:
          web:
            dir: web
            command: [./bin/start]
        """, "4:15: services.web.command: './bin/start' is not an executable file (chmod +x " + start + ")");

    Files.setPosixFilePermissions(start, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(load().services().get(0).command()).containsExactly("./bin/start");
  }

  @Test
  void dir_notADirectory() throws IOException {
    assertError("""
        services:
          web:
            command: [sleep, '1']
            dir: web
        """, "4:10: services.web.dir: 'web' is not a directory: " + dir.resolve("web")
        + " does not exist (expected: a directory, relative to " + dir + ")");
    Files.writeString(dir.resolve("web"), "");
    assertError("""
        services:
          web:
            command: [sleep, '1']
            dir: web
        """, "4:10: services.web.dir: 'web' is not a directory: " + dir.resolve("web")
        + " is a file (expected: a directory, relative to " + dir + ")");
  }

  @Test
  void duplicateKeys_atEveryLevel() {
    assertError("""
        services:
          orders:
            command: [sleep, '1']
          orders:
            command: [sleep, '2']
        """, "4:3: services: duplicate key 'orders' (first at line 2, column 3; keep one)");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            env:
              A: 1
              A: 2
        """, "6:7: services.orders.env: duplicate key 'A' (first at line 5, column 7; keep one)");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            command: [sleep, '2']
        """, "4:5: services.orders: duplicate key 'command' (first at line 3, column 5; keep one)");
  }

  @Test
  void instances_outOfRangeOrNotANumber() {
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            instances: 17
        """, "4:16: services.orders.instances: 17 (expected: a whole number from 1 to 16)");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            instances: 0
        """, "4:16: services.orders.instances: 0 (expected: a whole number from 1 to 16)");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            instances: two
        """, "4:16: services.orders.instances: 'two' (expected: a whole number from 1 to 16)");
  }

  @Test
  void envReference_malformed() {
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            env:
              CATALOG: ${catalog
        """, "5:16: services.orders.env.CATALOG: '${catalog': no closing '}' (expected: "
        + EnvTemplate.SHAPE + "; write $${ for a literal ${)");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            env:
              CATALOG: "${Catalog}"
        """, "5:16: services.orders.env.CATALOG: '${Catalog}': 'Catalog' is not a service name (expected: "
        + EnvTemplate.SHAPE + ")");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            env:
              CATALOG: http://${catalog.prt}/x
        """, "5:16: services.orders.env.CATALOG: '${catalog.prt}': unknown part '.prt' (expected: "
        + EnvTemplate.SHAPE + ")");
  }

  @Test
  void envReference_toAnEndpointTheServiceLacks() {
    assertError("""
        services:
          catalog:
            command: [sleep, '1']
            endpoints: [http]
          orders:
            command: [sleep, '1']
            env:
              CATALOG: ${catalog}
        """, "8:16: services.orders.env.CATALOG: catalog has no endpoint 'main' (expected: one of http,"
        + " as in ${catalog/http})");
  }

  @Test
  void envReference_toItself() {
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            env:
              SELF: ${orders.url}
        """, "5:13: services.orders.env.SELF: '${orders.url}' names the service itself (expected: another"
        + " service; its own port is $PORT, or $BERTH_PORT_<ENDPOINT>)");
  }

  @Test
  void env_badNameAndEmptyValue() {
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            env:
              LOG-LEVEL: debug
        """, "5:7: services.orders.env: 'LOG-LEVEL' is not a variable name (expected: letters, digits and"
        + " '_', not starting with a digit)");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            env:
              LEVEL:
        """, "5:13: services.orders.env.LEVEL: empty (expected: a string, number or boolean; write '' for"
        + " an empty value)");
  }

  @Test
  void env_variablesBerthSets_areRefused() {
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            env:
              PORT: 8080
        """, "5:7: services.orders.env: 'PORT' is set by Berth for every process (expected: another"
        + " name; read PORT in the program instead)");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            env:
              BERTH_NAMESPACE: other
        """, "5:7: services.orders.env: 'BERTH_NAMESPACE' is set by Berth for every process (expected:"
        + " another name; read BERTH_NAMESPACE in the program instead)");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            env:
              BERTH_PORT_ADMIN: 9
        """, "5:7: services.orders.env: 'BERTH_PORT_ADMIN' is set by Berth for every process (expected:"
        + " another name; read BERTH_PORT_ADMIN in the program instead)");
  }

  @Test
  void restart_badPolicy() {
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            restart: never
        """, "4:14: services.orders.restart: 'never' (expected: no, on-failure or always)");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            restart: false
        """, "4:14: services.orders.restart: false (expected: no, on-failure or always)");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            restart: {policy: sometimes}
        """, "4:23: services.orders.restart.policy: 'sometimes' (expected: no, on-failure or always)");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            restart: {max_restarts: -1}
        """, "4:29: services.orders.restart.max_restarts: -1 (expected: a whole number, 0 or more)");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            restart: {backoff: 2s, max_backoff: 1s}
        """, "4:41: services.orders.restart.max_backoff: shorter than backoff (expected: at least 2000ms)");
  }

  @Test
  void durations_badOrZero() {
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            ready: {http: /health, timeout: 30}
        """, "4:37: services.orders.ready.timeout: '30' (expected: a duration such as 500ms, 30s or 2m)");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            restart: {window: 30sec}
        """, "4:23: services.orders.restart.window: '30sec' (expected: a duration such as 500ms, 30s or 2m)");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            ready: {tcp: true, timeout: 0s}
        """, "4:33: services.orders.ready.timeout: '0s' (expected: a duration such as 500ms, 30s or 2m,"
        + " above zero)");
  }

  @Test
  void ready_shapes() {
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            ready: {timeout: 5s}
        """, "4:12: services.orders.ready: neither http nor tcp (expected: {http: /path} or {tcp: true},"
        + " with optional endpoint: and timeout:)");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            ready: {http: /health, tcp: true}
        """, "4:28: services.orders.ready: both http and tcp (expected: one of them)");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            ready: {tcp: false}
        """, "4:18: services.orders.ready.tcp: false (expected: true; leave ready out for no check)");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            ready: {http: health}
        """, "4:19: services.orders.ready.http: 'health' (expected: a path such as /health, starting with '/')");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            ready: {http: /health, endpoint: admin}
            endpoints: [http]
        """, "4:38: services.orders.ready.endpoint: 'admin' is not an endpoint of this service (expected:"
        + " one of http)");
  }

  @Test
  void lease_bad() {
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            lease: library
        """, "4:12: services.orders.lease: 'library' (expected: runner, Berth holds the lease and the"
        + " program binds $PORT; or self, the program joins Berth with the library)");
  }

  @Test
  void notYaml_namesTheLibrarysProblemAtItsMark() {
    assertError("""
        services:
          orders:
            command: [sleep, '1'
        """, "4:1: not YAML: expected ',' or ']', but got <stream end>"
        + " (while parsing a flow sequence at 3:14)");
  }

  @Test
  void emptyFile_noServices_noneListed_notAMap() throws IOException {
    write("# nothing yet\n");
    assertThatThrownBy(this::load).isInstanceOf(StackFileException.class)
        .hasMessage(file() + ": empty (expected: a map with services: " + StackYaml.SERVICES_SHAPE + ")");
    assertError("""
        name: shop
        """, "1:1: berth.yaml: no services (expected: services: " + StackYaml.SERVICES_SHAPE + ")");
    assertError("""
        services: {}
        """, "1:1: services: none (expected: " + StackYaml.SERVICES_SHAPE + ")");
    assertError("""
        - orders
        """, "1:1: berth.yaml: a list (expected: a map with services:)");
  }

  @Test
  void nonStringKey_isRefused() {
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            ? [a, b]
            : 1
        """, "4:7: services.orders: a key that is a list (expected: a name)");
  }

  private void assertError(String yaml, String expected) {
    try {
      write(yaml);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThatThrownBy(this::load).isInstanceOf(StackFileException.class)
        .hasMessage(file() + ":" + expected);
  }

  private StackFile load() {
    return StackFiles.load(dir, Optional.empty(), StackFilesTest.ENV);
  }

  private Path file() {
    return dir.resolve("berth.yaml");
  }

  private void write(String text) throws IOException {
    Files.writeString(file(), text);
  }
}
