package dev.berth.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@code etcd} and {@code etcdctl} binaries on the PATH, the baseline of etcd's rows.
 *
 * @param etcd the server binary
 * @param etcdctl the command-line client
 * @param version what {@code etcd --version} says ({@code 3.4.23}), for the run's machine line
 */
record EtcdInstall(Path etcd, Path etcdctl, String version) {
  /** The one line the bench prints when etcd's rows cannot run. */
  static final String MISSING = "etcd's rows skipped: etcd and etcdctl are not both on the PATH "
      + "(to compare with etcd 3.4: apt-get install etcd-server etcd-client)";

  /** The binaries on {@code path} (a PATH value), or empty when either is missing. */
  static Optional<EtcdInstall> find(String path) throws IOException, InterruptedException {
    Optional<Path> etcd = which("etcd", path);
    Optional<Path> etcdctl = which("etcdctl", path);
    if (etcd.isEmpty() || etcdctl.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new EtcdInstall(etcd.get(), etcdctl.get(), version(etcd.get())));
  }

  static Optional<Path> which(String name, String path) {
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** "3.4.23" from {@code etcd --version}'s "etcd Version: 3.4.23" line; "unknown" otherwise. */
  private static String version(Path etcd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(etcd.toString(), "--version").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    for (String line : out.split("\n")) {
      if (line.startsWith("etcd Version:")) {
        return line.substring("etcd Version:".length()).trim();
      }
    }
    return "unknown";
  }
}
