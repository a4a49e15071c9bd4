package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdInstallTest {
  private static void script(Path dir, String name, String body) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void find_withBothOnThePath_givesTheirPathsAndEtcdsVersion(@TempDir Path a, @TempDir Path b) throws Exception {
    script(a, "etcd", "echo 'etcd Version: 3.4.99'; echo 'Go Version: go1.19'");
    script(b, "etcdctl", "exit 0");

    EtcdInstall etcd = EtcdInstall.find(a + File.pathSeparator + b).orElseThrow();

    assertThat(etcd.etcd()).isEqualTo(a.resolve("etcd"));
    assertThat(etcd.etcdctl()).isEqualTo(b.resolve("etcdctl"));
    assertThat(etcd.version()).isEqualTo("3.4.99");
  }

  @Test
  void find_withoutEtcdctl_isEmpty(@TempDir Path a) throws Exception {
    script(a, "etcd", "echo 'etcd Version: 3.4.99'");
    Files.writeString(a.resolve("etcdctl"), "not executable");

    assertThat(EtcdInstall.find(a.toString())).isEmpty();
    assertThat(EtcdInstall.find(null)).isEmpty();
  }

  @Test
  void missing_saysHowToInstallThem() {
    assertThat(EtcdInstall.MISSING).contains("not both on the PATH").contains("apt-get install etcd-server etcd-client");
  }
}
