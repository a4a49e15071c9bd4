package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Use it in your service" builds as it stands: every fenced block marked
 * {@code <!-- readme-project: PATH -->} is written to PATH of a new project, which a real
 * {@code mvn -B -o -q package} (a child process) must build.
 *
 * <p>The Berth artifacts are not installed during {@code mvn verify}, and the user's
 * {@code ~/.m2} must stay untouched, so the child runs on a local repository of its own: a
 * temp dir whose entries are symlinks to the real local repository's (every third-party
 * artifact, read where it is), except {@code dev/berth}, which holds this reactor's freshly
 * built jars and poms, laid out as {@code mvn install} would.
 */
class ReadmeProjectIT {

  private static final Pattern BLOCK = Pattern.compile(
      "<!-- readme-project: (\\S+) -->\\s*\\n```[a-z]*\\n(.*?)\\n```", Pattern.DOTALL);
  private static final Path ROOT = Path.of(System.getProperty("berth.root", "..")).toAbsolutePath().normalize();
  private static final String VERSION = System.getProperty("berth.version", "0.1.0-SNAPSHOT");

  @Test
  void readmeProject_fromItsSnippetsAlone_builds(@TempDir Path temp) throws Exception {
    Map<String, String> files = readmeFiles(Files.readString(ROOT.resolve("README.md")));
    assertThat(files).containsKeys("pom.xml", "src/main/proto/orders.proto",
        "src/main/java/com/example/orders/OrdersMain.java",
        "src/main/java/com/example/orders/PlaceOrder.java");
    Path project = Files.createDirectories(temp.resolve("orders"));
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path file = project.resolve(f.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, f.getValue() + "\n");
    }
    Path repo = temp.resolve("repo");
    try {
      build(project, overlayRepository(repo), temp.resolve("mvn.log"));
    } finally {
      unlink(repo); // so that the temp dir's cleanup never walks into the real repository
    }
    try (JarFile jar = new JarFile(project.resolve("target/orders-1.0-SNAPSHOT.jar").toFile())) {
      assertThat(jar.stream().map(e -> e.getName())).contains(
          "com/example/orders/OrdersMain.class", "com/example/orders/OrdersGrpc.class",
          "com/example/orders/PlaceOrder.class");
    }
  }

  private static void build(Path project, Path repo, Path log) throws Exception {
    Process mvn = new ProcessBuilder(mvn(), "-B", "-o", "-q", "-Dmaven.repo.local=" + repo, "package")
        .directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean exited;
    try {
      exited = mvn.waitFor(300, TimeUnit.SECONDS);
    } finally {
      mvn.descendants().forEach(ProcessHandle::destroyForcibly);
      mvn.destroyForcibly();
    }
    String output = Files.readString(log);

    assertThat(exited).as("mvn package finished within 300 s; output:\n" + output).isTrue();
    assertThat(mvn.exitValue()).as("mvn -B -o -q package of the README's project:\n" + output).isZero();
  }

  private static void unlink(Path repo) throws IOException {
    if (!Files.isDirectory(repo)) {
      return;
    }
    try (Stream<Path> all = Files.walk(repo)) { // does not follow the links
      for (Path p : (Iterable<Path>) all.filter(Files::isSymbolicLink)::iterator) {
        Files.delete(p);
      }
    }
  }

  @Test
  void bom_managesTheVersionsTheBuildUses() throws IOException {
    String root = Files.readString(ROOT.resolve("pom.xml"));
    String bom = Files.readString(ROOT.resolve("bom/pom.xml"));
    String readme = Files.readString(ROOT.resolve("README.md"));
    for (String property : List.of("grpc.version", "protobuf.version", "micrometer.version",
        "gson.version", "prometheus-metrics.version")) {
      assertThat(property(bom, property)).as(property + " in bom/pom.xml").isEqualTo(property(root, property));
    }
    assertThat(property(bom, "version")).isEqualTo(VERSION);
    String pom = readmeFiles(readme).get("pom.xml");
    assertThat(pom).contains("com.google.protobuf:protoc:" + property(root, "protobuf.version") + ":exe")
        .contains("io.grpc:protoc-gen-grpc-java:" + property(root, "grpc.codegen.version") + ":exe")
        .contains("<version>" + VERSION + "</version>");
  }

  /** The marked blocks of the README, by the path each is. */
  static Map<String, String> readmeFiles(String readme) {
    Map<String, String> files = new LinkedHashMap<>();
    Matcher m = BLOCK.matcher(readme);
    while (m.find()) {
      files.put(m.group(1), m.group(2));
    }
    return files;
  }

  private static String property(String pom, String name) {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
    assertThat(m.find()).as("<" + name + "> in a pom").isTrue();
    return m.group(1).trim();
  }

  private static String mvn() {
    String home = System.getProperty("maven.home");
    if (home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
      return Path.of(home, "bin", "mvn").toString();
    }
    return "mvn";
  }

  /** A local repository: the real one's entries as symlinks, and dev/berth from this reactor. */
  private static Path overlayRepository(Path repo) throws IOException {
    Path real = Path.of(System.getProperty("berth.localRepository",
        System.getProperty("user.home") + "/.m2/repository"));
    Path berth = Files.createDirectories(repo.resolve("dev/berth"));
    linkEntries(real, repo, "dev");
    linkEntries(real.resolve("dev"), repo.resolve("dev"), "berth");
    artifact(berth, "berth-parent", ROOT.resolve("pom.xml"), null);
    artifact(berth, "berth-bom", ROOT.resolve("bom/pom.xml"), null);
    for (String module : List.of("proto", "local", "registry", "client")) {
      Path pom = ROOT.resolve(module).resolve("pom.xml");
      String artifactId = "berth-" + module;
      Path jar = ROOT.resolve(module).resolve("target").resolve(artifactId + "-" + VERSION + ".jar");
      assertThat(jar).as("the reactor's " + module + " jar (mvn package)").isRegularFile();
      artifact(berth, artifactId, pom, jar);
    }
    return repo;
  }

  private static void linkEntries(Path from, Path to, String except) throws IOException {
    if (!Files.isDirectory(from)) {
      return;
    }
    try (Stream<Path> entries = Files.list(from)) {
      for (Path e : (Iterable<Path>) entries::iterator) {
        if (!e.getFileName().toString().equals(except)) {
          Files.createSymbolicLink(to.resolve(e.getFileName().toString()), e);
        }
      }
    }
  }

  private static void artifact(Path berth, String artifactId, Path pom, Path jar) throws IOException {
    Path dir = Files.createDirectories(berth.resolve(artifactId).resolve(VERSION));
    String base = artifactId + "-" + VERSION;
    Files.copy(pom, dir.resolve(base + ".pom"));
    if (jar != null) {
      Files.copy(jar, dir.resolve(base + ".jar"));
    }
  }
}
