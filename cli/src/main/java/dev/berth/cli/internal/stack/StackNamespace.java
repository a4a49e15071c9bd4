package dev.berth.cli.internal.stack;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * A stack's namespace: its directory's name as a DNS label, a dash, and six hex digits of a hash
 * of the directory's real path, so that {@code shop/} checked out twice gives two namespaces
 * ({@code shop-3fa2c1}, {@code shop-9b07e4}) that stay the same every run.
 *
 * <p>Plain JDK classes only: the CLI's launcher finds the current directory's stack with it.
 *
 * <pre>{@code
 * StackNamespace.locate(Path.of("")).map(StackNamespace::forDir)  // Optional[sample-services-1a2b3c]
 * }</pre>
 */
public final class StackNamespace {

  /** The stack file names, in the order one is preferred over the other in one directory. */
  public static final String BERTH_YAML = "berth.yaml";
  public static final String PROCFILE = "Procfile";

  private static final int HASH_HEX = 6;
  private static final int MAX_NAME = 63 - 1 - HASH_HEX;

  private StackNamespace() {}

  /**
   * The nearest directory, from {@code start} up to the root, that holds a {@code berth.yaml} or
   * a {@code Procfile}; empty when none does.
   */
  public static Optional<Path> locate(Path start) {
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(BERTH_YAML)) || Files.isRegularFile(dir.resolve(PROCFILE))) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }

  /** The namespace of the stack in {@code dir}. */
  public static String forDir(Path dir) {
    Path real;
    try {
      real = dir.toRealPath();
    } catch (java.io.IOException e) {
      real = dir.toAbsolutePath().normalize();
    }
    Path leaf = real.getFileName();
    String name = label(leaf == null ? "stack" : leaf.toString());
    return name + "-" + hash(real.toString());
  }

  /** {@code My_Project.v2} → {@code my-project-v2}: lowercase, runs of other characters to one '-'. */
  static String label(String name) {
    String lower = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    lower = lower.replaceAll("^-+", "");
    if (lower.length() > MAX_NAME) {
      lower = lower.substring(0, MAX_NAME);
    }
    lower = lower.replaceAll("-+$", "");
    return lower.isEmpty() ? "stack" : lower;
  }

  private static String hash(String path) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_HEX);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JDK", e);
    }
  }
}
