package dev.berth.cli.internal.stack;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A stack file that was read and validated: its services in the file's order.
 *
 * @param file the berth.yaml or Procfile, absolute
 * @param dir the stack's directory (the file's), absolute; relative {@code dir}s are resolved
 *     against it
 * @param namespace {@link StackNamespace#forDir} of {@code dir}
 * @param kind which format it was read from
 * @param name for display only: berth.yaml's {@code name:}, else the directory's name
 */
public record StackFile(Path file, Path dir, String namespace, Kind kind, List<ServiceSpec> services,
    String name) {

  public enum Kind { BERTH_YAML, PROCFILE }

  public StackFile {
    services = List.copyOf(services);
  }

  /** A stack named after its directory. */
  public StackFile(Path file, Path dir, String namespace, Kind kind, List<ServiceSpec> services) {
    this(file, dir, namespace, kind, services,
        dir.getFileName() == null ? "stack" : dir.getFileName().toString());
  }

  public Optional<ServiceSpec> service(String name) {
    return services.stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
