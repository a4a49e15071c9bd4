package dev.berth.registry.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The page's files, classpath resources under one folder ({@link #PAGE}): only the names listed
 * here are served, each with its type, so no request path ever reaches the class loader. The
 * files are read once and kept (a few tens of KiB; they cannot change under a running JVM).
 * Thread-safe.
 */
final class DashboardFiles {

  /** Where the registry's jar holds the page. */
  static final String PAGE = "dev/berth/registry/dashboard/";

  /** The file names a request may ask for, and their {@code Content-Type}. */
  static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("index.html", "text/html; charset=utf-8"),
      Map.entry("login.html", "text/html; charset=utf-8"),
      Map.entry("dom.js", "text/javascript; charset=utf-8"),
      Map.entry("stream.js", "text/javascript; charset=utf-8"),
      Map.entry("layout.js", "text/javascript; charset=utf-8"),
      Map.entry("map.js", "text/javascript; charset=utf-8"),
      Map.entry("tables.js", "text/javascript; charset=utf-8"),
      Map.entry("app.js", "text/javascript; charset=utf-8"),
      Map.entry("login.js", "text/javascript; charset=utf-8"),
      Map.entry("app.css", "text/css; charset=utf-8"),
      Map.entry("favicon.svg", "image/svg+xml"));

  /** A file's bytes and type. */
  record File(byte[] bytes, String type) {}

  private final String folder;
  private final Map<String, Optional<File>> read = new ConcurrentHashMap<>();

  /** {@code folder}: a resource path ending in {@code /}, like {@link #PAGE}. */
  DashboardFiles(String folder) {
    this.folder = folder;
  }

  /** True when {@code name} is one of {@link #TYPES}' names, present or not. */
  static boolean isPageFile(String name) {
    return TYPES.containsKey(name);
  }

  /** The file, or empty when {@code name} is not a page file or not in the jar. */
  Optional<File> get(String name) {
    String type = TYPES.get(name);
    if (type == null) {
      return Optional.empty();
    }
    return read.computeIfAbsent(name, n -> load(n, type));
  }

  private Optional<File> load(String name, String type) {
    try (InputStream in = DashboardFiles.class.getClassLoader().getResourceAsStream(folder + name)) {
      return in == null ? Optional.empty() : Optional.of(new File(in.readAllBytes(), type));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the resource " + folder + name, e);
    }
  }
}
