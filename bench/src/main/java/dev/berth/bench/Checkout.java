package dev.berth.bench;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The checkout the bench jar was built in ({@code bench/target/berth-bench.jar}): its
 * {@code bin/berth}, the CLI's {@code cli/target/berth.jar} (which holds the samples) and the
 * sample stack's {@code sample-services/berth.yaml}. Empty when the bench runs from elsewhere.
 */
final class Checkout {
  private Checkout() {}

  /** The checkout's root: the bench jar's {@code ../..}. */
  static Optional<Path> root() {
    try {
      Path jar = Path.of(Checkout.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path root = jar.toAbsolutePath().getParent().getParent().getParent();
      return Files.isDirectory(root.resolve("bin")) ? Optional.of(root) : Optional.empty();
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static Optional<Path> binBerth() {
    return root().map(r -> r.resolve("bin").resolve("berth")).filter(Files::isExecutable);
  }

  /** {@code sample-services/}, the sample stack's directory, when its berth.yaml is there. */
  static Optional<Path> sampleStack() {
    return root().map(r -> r.resolve("sample-services"))
        .filter(dir -> Files.isRegularFile(dir.resolve("berth.yaml")));
  }
}
