package dev.berth.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The class-data-sharing archive of the registry daemon that the build makes beside a jar
 * ({@code berth.jar} gets {@code berth-registry.jsa}), and the one rule of when it may be used:
 * {@link RegistryLauncher} adds {@code -XX:SharedArchiveFile} for it only when the daemon runs
 * from exactly that jar, unchanged since, on the JVM that made it.
 *
 * <p>Why the check is ours and not only the JVM's: a JVM handed an archive made for another
 * jar or JVM quietly runs without any archive, the JDK's own default one included (slower than
 * giving none), and one handed a truncated archive crashes. So the archive is written whole or
 * not at all (renamed into place), with a stamp beside it ({@code berth-registry.jsa.stamp}:
 * the jar's absolute path, size and modification time, and the JVM's home and version) that
 * must equal what this process sees. Stateless; thread-safe.
 */
public final class RegistryArchive {

  private RegistryArchive() {}

  /** Where the archive for {@code jar} goes: beside it, {@code NAME-registry.jsa}. */
  public static Path of(Path jar) {
    String name = jar.getFileName().toString();
    String base = name.endsWith(".jar") ? name.substring(0, name.length() - 4) : name;
    return jar.toAbsolutePath().resolveSibling(base + "-registry.jsa");
  }

  /** The stamp file beside {@code archive}. */
  public static Path stampOf(Path archive) {
    return archive.resolveSibling(archive.getFileName() + ".stamp");
  }

  /** What the stamp of an archive for {@code jar} made by this JVM says. */
  public static String stamp(Path jar) throws IOException {
    Path absolute = jar.toAbsolutePath().normalize();
    return "jar=" + absolute + "\nsize=" + Files.size(absolute)
        + "\nmodified=" + Files.getLastModifiedTime(absolute).toMillis()
        + "\njava.home=" + System.getProperty("java.home")
        + "\njava.vm.version=" + System.getProperty("java.vm.version") + "\n";
  }

  /**
   * The archive to start a daemon with on {@code classPath}: present when the class path is one
   * absolute jar with a whole archive beside it whose stamp matches; empty otherwise (another
   * class path, no archive, a rebuilt jar, another JVM, anything unreadable).
   */
  public static Optional<Path> matching(String classPath) {
    if (classPath == null || classPath.isEmpty() || classPath.contains(java.io.File.pathSeparator)
        || !classPath.endsWith(".jar")) {
      return Optional.empty();
    }
    Path jar = Path.of(classPath);
    if (!jar.equals(jar.toAbsolutePath().normalize())) {
      return Optional.empty(); // the archive names the jar's absolute path; java compares it as given
    }
    Path archive = of(jar);
    try {
      if (Files.isRegularFile(archive) && Files.readString(stampOf(archive), StandardCharsets.UTF_8)
          .equals(stamp(jar))) {
        return Optional.of(archive);
      }
    } catch (IOException | RuntimeException unusable) {
      // no stamp, no jar, unreadable: start without
    }
    return Optional.empty();
  }
}
