package dev.berth.cli.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Opens a URL in the user's browser with the desktop's own opener ({@code xdg-open} on Linux,
 * {@code open} on macOS), only when there is a display to open it on; otherwise says why not,
 * so that {@code berth dashboard --open} over SSH prints a reason instead of hanging or
 * starting a text browser. {@code java.awt.Desktop} is not used: it loads AWT into the CLI and
 * fails headless. Stateless; any thread.
 */
final class BrowserOpener {

  private BrowserOpener() {}

  /** Starts the opener on {@code url}; null when it started, else why it did not. */
  static String open(String url, Map<String, String> env) {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String why = reasonNotTo(os, env);
    if (why != null) {
      return why;
    }
    String program = os.contains("mac") ? "open" : "xdg-open";
    Optional<Path> found = onPath(program, env.getOrDefault("PATH", ""));
    if (found.isEmpty()) {
      return "no " + program + " on the PATH";
    }
    try {
      new ProcessBuilder(found.get().toString(), url)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start(); // not waited for: xdg-open may stay until the browser exits
      return null;
    } catch (IOException e) {
      return found.get() + " did not start (" + e.getMessage() + ")";
    }
  }

  /** Why not to try on {@code os} with {@code env}; null when a browser can be opened. */
  static String reasonNotTo(String os, Map<String, String> env) {
    if (os.contains("mac")) {
      return null;
    }
    if (!os.contains("linux")) {
      return "no browser opener known for " + os;
    }
    if (blank(env.get("DISPLAY")) && blank(env.get("WAYLAND_DISPLAY"))) {
      return "no display (neither DISPLAY nor WAYLAND_DISPLAY is set)";
    }
    return null;
  }

  static Optional<Path> onPath(String program, String path) {
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, program);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
