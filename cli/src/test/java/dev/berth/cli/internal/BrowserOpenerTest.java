package dev.berth.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrowserOpenerTest {

  @TempDir
  Path dir;

  @Test
  void reasonNotTo_onLinuxWithoutADisplay_saysSo() {
    assertThat(BrowserOpener.reasonNotTo("linux", Map.of()))
        .isEqualTo("no display (neither DISPLAY nor WAYLAND_DISPLAY is set)");
    assertThat(BrowserOpener.reasonNotTo("linux", Map.of("DISPLAY", " "))).startsWith("no display");
  }

  @Test
  void reasonNotTo_withX11OrWaylandOrOnMacOs_isNone() {
    assertThat(BrowserOpener.reasonNotTo("linux", Map.of("DISPLAY", ":0"))).isNull();
    assertThat(BrowserOpener.reasonNotTo("linux", Map.of("WAYLAND_DISPLAY", "wayland-0"))).isNull();
    assertThat(BrowserOpener.reasonNotTo("mac os x", Map.of())).isNull();
    assertThat(BrowserOpener.reasonNotTo("windows 11", Map.of())).isEqualTo("no browser opener known for windows 11");
  }

  @Test
  void onPath_findsOnlyAnExecutable() throws Exception {
    Path plain = Files.createDirectories(dir.resolve("plain"));
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.writeString(plain.resolve("xdg-open"), "not executable");
    Path opener = Files.writeString(bin.resolve("xdg-open"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(opener, PosixFilePermissions.fromString("rwx------"));

    assertThat(BrowserOpener.onPath("xdg-open", plain + ":" + bin)).hasValue(opener);
    assertThat(BrowserOpener.onPath("xdg-open", plain.toString())).isEmpty();
    assertThat(BrowserOpener.onPath("xdg-open", "")).isEmpty();
  }
}
