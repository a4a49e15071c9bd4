package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.internal.stack.StackNamespace;
import dev.berth.client.Berth;
import dev.berth.client.Claim;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's namespaces against one real registry: {@code catalog} live in the default namespace,
 * in {@code shop-1} and in the stack of a temp dir's {@code berth.yaml}, {@code web/http} in the
 * default one only. Each command runs twice (berth.jar, and the launcher jar alone, as in
 * {@link FastPathIT}) and must print the same: the fast path answers namespaces too.
 */
class NamespaceIT {

  @TempDir
  static Path temp;

  static BerthJar berth;
  static Path lonely;
  static Path stack;
  static String stackNamespace;
  static Berth inDefault;
  static Berth inShop;
  static Berth inStack;
  static Claim catalog;
  static Claim shopCatalog;
  static Claim stackCatalog;
  static Claim web;

  @BeforeAll
  static void registryAndThreeNamespaces() throws Exception {
    berth = new BerthJar(temp);
    String registry = berth.startRegistry();
    stack = Files.createDirectories(temp.resolve("My Shop"));
    Files.writeString(stack.resolve("berth.yaml"), "services:\n  catalog:\n    command: [\"true\"]\n");
    Files.createDirectories(stack.resolve("src"));
    stackNamespace = StackNamespace.forDir(stack);
    inDefault = Berth.builder().stateDir(berth.home()).registry(registry).namespace("").build();
    inShop = Berth.builder().stateDir(berth.home()).registry(registry).namespace("shop-1").build();
    inStack = Berth.builder().stateDir(berth.home()).registry(registry).namespace(stackNamespace).build();
    catalog = inDefault.claim("catalog", at -> BerthJar.listen(at.port()));
    web = inDefault.claim("web/http", at -> BerthJar.listen(at.port()));
    shopCatalog = inShop.claim("catalog", at -> BerthJar.listen(at.port()));
    stackCatalog = inStack.claim("catalog", at -> BerthJar.listen(at.port()));
    lonely = Files.createDirectories(temp.resolve("lonely")).resolve("berth-launcher.jar");
    Files.copy(BerthJar.LAUNCHER, lonely, StandardCopyOption.REPLACE_EXISTING);
  }

  @AfterAll
  static void stop() throws Exception {
    BerthJar.closeAll(stackCatalog, shopCatalog, web, catalog, inStack, inShop, inDefault, berth);
  }

  @Test
  void ls_showsEveryNamespace_withANamespaceColumn_evenInAStackDir() throws Exception {
    for (Path dir : new Path[] {null, stack}) {
      BerthJar.Result ls = alike(dir, Map.of(), "ls", "--json");
      assertThat(ls.out).contains("{\"service\": \"catalog\", \"endpoint\": \"main\", \"address\": \""
              + "127.0.0.1:" + catalog.port(),
          "{\"service\": \"catalog\", \"namespace\": \"shop-1\", \"endpoint\": \"main\"",
          "{\"service\": \"catalog\", \"namespace\": \"" + stackNamespace + "\", \"endpoint\": \"main\"");
    }
    BerthJar.Result table = berth.runJar(lonely, Map.of(), "ls");
    assertThat(table.out).startsWith("NAMESPACE ").contains("\n-  ", "\nshop-1  ", "\n" + stackNamespace + "  ");
  }

  @Test
  void ls_withANamespace_showsItsInstancesOnly() throws Exception {
    BerthJar.Result shop = alike(null, Map.of(), "ls", "--json", "-n", "shop-1");
    BerthJar.Result fromEnv = alike(stack, Map.of("BERTH_NAMESPACE", "shop-1"), "ls", "--json");
    BerthJar.Result none = alike(null, Map.of(), "--namespace=nobody", "ls");

    assertThat(shop.out).contains("\"port\": " + shopCatalog.port()).doesNotContain("\"port\": " + catalog.port())
        .doesNotContain(stackNamespace);
    assertThat(fromEnv.out).isEqualTo(shop.out);
    assertThat(none.out).startsWith("no live services in namespace nobody (registry ");

    BerthJar.Result defaults = berth.runJar(lonely, Map.of(), "ls", "-n", "default");
    assertThat(defaults.out).as("no NAMESPACE column: all are the default's").startsWith("SERVICE ")
        .contains("127.0.0.1:" + catalog.port(), "127.0.0.1:" + web.port())
        .doesNotContain(":" + shopCatalog.port() + " ", ":" + stackCatalog.port() + " ");
  }

  @Test
  void resolve_inAStackDir_findsTheStacksInstance_elseTheDefaults() throws Exception {
    assertThat(alike(stack, Map.of(), "resolve", "catalog").out).isEqualTo(address(stackCatalog));
    assertThat(fast(stack.resolve("src"), Map.of(), "resolve", "catalog").out).isEqualTo(address(stackCatalog));
    assertThat(alike(stack, Map.of(), "resolve", "web/http").out).as("shared from the default namespace")
        .isEqualTo(address(web));
    assertThat(fast(null, Map.of(), "resolve", "catalog").out).isEqualTo(address(catalog));
  }

  @Test
  void resolve_withTheFlagOrTheVariable_findsThatNamespace_theFlagFirst() throws Exception {
    assertThat(alike(null, Map.of(), "-n", "shop-1", "resolve", "catalog").out).isEqualTo(address(shopCatalog));
    assertThat(fast(stack, Map.of("BERTH_NAMESPACE", "shop-1"), "resolve", "catalog").out)
        .isEqualTo(address(shopCatalog));
    assertThat(alike(stack, Map.of("BERTH_NAMESPACE", "shop-1"), "resolve", "catalog", "--namespace", "default").out)
        .isEqualTo(address(catalog));
    assertThat(fast(null, Map.of(), "resolve", "catalog", "-n", "shop-2").out).as("falls back to the default")
        .isEqualTo(address(catalog));

    BerthJar.Result typo = alike(null, Map.of(), "-n", "shop-1", "resolve", "web/main");
    assertThat(typo.exitCode).isEqualTo(1);
    assertThat(typo.err).isEqualTo("berth: no live instance of 'web' (live: web/http)\n");
  }

  @Test
  void env_inANamespace_takesItsOwnServices_andTheDefaultsForTheRest() throws Exception {
    BerthJar.Result env = alike(stack, Map.of(), "env", "--format", "dotenv");

    assertThat(env.out).contains("\nCATALOG_ADDR=" + address(stackCatalog), "\nWEB_HTTP_ADDR=" + address(web))
        .doesNotContain(":" + catalog.port() + "\n", ":" + shopCatalog.port() + "\n");
  }

  @Test
  void aBadNamespace_isOneUsageErrorNamingIt_bothWays() throws Exception {
    BerthJar.Result flag = berth.runJar(BerthJar.JAR, Map.of(), "resolve", "catalog", "-n", "Shop");
    BerthJar.Result fast = berth.runJar(BerthJar.LAUNCHER, Map.of(), "resolve", "catalog", "-n", "Shop");
    BerthJar.Result env = berth.runJar(BerthJar.LAUNCHER, Map.of("BERTH_NAMESPACE", "x_y"), "ls");

    assertThat(flag.exitCode).isEqualTo(2);
    assertThat(flag.err).isEqualTo("berth: --namespace: 'Shop' (expected: 'default' or '' for the default "
        + "namespace, else a DNS label of 1 to 63 characters: lowercase letters, digits and '-', not "
        + "starting or ending with '-') (see 'berth resolve --help')\n");
    assertThat(fast.err).isEqualTo(flag.err);
    assertThat(env.exitCode).isEqualTo(2);
    assertThat(env.errLines()).hasSize(1).first().asString().startsWith("berth: BERTH_NAMESPACE: 'x_y' (expected: ");
  }

  @Test
  void run_registersInTheNamespace_andPassesItToTheChild() throws Exception {
    BerthJar.Started run = berth.start("-n", "shop-2", "run", "echo", "--", "sh", "-c",
        "echo \"ns=$BERTH_NAMESPACE\"; exec python3 -m http.server \"$PORT\" --bind 127.0.0.1");
    try {
      run.awaitLine("live on", Duration.ofSeconds(30));
      assertThat(run.out()).contains("ns=shop-2");
      assertThat(run.err()).contains("berth: started echo in namespace shop-2 (pid ");
      try (Berth shop2 = Berth.builder().stateDir(berth.home()).namespace("shop-2").build()) {
        assertThat(shop2.resolveAll("echo")).hasSize(1);
      }
      assertThat(inDefault.resolveAll("echo")).as("not the default namespace's").isEmpty();
      assertThat(inShop.resolveAll("echo")).as("nor another's").isEmpty();
    } finally {
      run.process.descendants().forEach(ProcessHandle::destroyForcibly);
      run.process.destroyForcibly().waitFor();
    }
  }

  /** The launcher alone: only what the fast path answers itself succeeds there. */
  private static BerthJar.Result fast(Path dir, Map<String, String> env, String... args) throws Exception {
    BerthJar.Result alone = berth.runJarIn(dir, lonely, env, args);
    assertThat(alone.err).as(String.join(" ", args)).doesNotContain("NoClassDefFoundError");
    return alone;
  }

  private static String address(Claim claim) {
    return "127.0.0.1:" + claim.port() + "\n";
  }

  /**
   * berth.jar and the launcher alone agree, in {@code dir}: the fast path answered (alone, it
   * has no full CLI to fall through to), and said what the full CLI says.
   */
  private static BerthJar.Result alike(Path dir, Map<String, String> env, String... args) throws Exception {
    BerthJar.Result full = berth.runJarIn(dir, BerthJar.JAR, env, args);
    BerthJar.Result alone = berth.runJarIn(dir, lonely, env, args);
    assertThat(alone.exitCode).as(String.join(" ", args) + "\n" + alone + "\nexpected\n" + full)
        .isEqualTo(full.exitCode);
    assertThat(alone.out).as("stdout of " + String.join(" ", args)).isEqualTo(full.out);
    assertThat(alone.err).as("stderr of " + String.join(" ", args)).isEqualTo(full.err);
    return full;
  }
}
