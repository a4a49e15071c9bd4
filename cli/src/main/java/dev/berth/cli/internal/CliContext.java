package dev.berth.cli.internal;

import dev.berth.client.Berth;
import dev.berth.client.BerthException;
import dev.berth.client.InternalBerth;
import dev.berth.local.Namespace;
import dev.berth.local.StateDir;
import dev.berth.proto.v1.RegistryGrpc;
import dev.berth.proto.v1.RegistryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The global options of one {@code berth} invocation and what follows from them: the state
 * dir, the registry address, and a connection to it with errors a person can act on.
 * Immutable.
 */
public final class CliContext {

  /** Deadline of one registry RPC made by a command. */
  private static final long RPC_DEADLINE_SECONDS = 5;

  private final Path homeOption;
  private final String registryOption;
  private final String namespaceOption;
  private final boolean verbose;
  private final PrintWriter out;
  private final PrintWriter err;

  public CliContext(Path homeOption, String registryOption, boolean verbose,
            PrintWriter out, PrintWriter err) {
    this(homeOption, registryOption, null, verbose, out, err);
  }

  public CliContext(Path homeOption, String registryOption, String namespaceOption, boolean verbose,
            PrintWriter out, PrintWriter err) {
    this.homeOption = homeOption;
    this.registryOption = registryOption;
    this.namespaceOption = namespaceOption;
    this.verbose = verbose;
    this.out = out;
    this.err = err;
  }

  public PrintWriter out() {
    return out;
  }

  public PrintWriter err() {
    return err;
  }

  public boolean verbose() {
    return verbose;
  }

  /** True when the user named the state dir with {@code --home}. */
  public boolean homeGiven() {
    return homeOption != null;
  }

  /** The state dir: {@code --home}, else Berth's default rule. */
  public Path home() {
    return homeOption != null ? homeOption.toAbsolutePath().normalize() : StateDir.defaultPath();
  }

  /** {@code --registry}, else {@code $BERTH_REGISTRY}. */
  public Optional<String> registryOverride() {
    if (registryOption != null && !registryOption.isBlank()) {
      return Optional.of(registryOption.strip());
    }
    String env = System.getenv("BERTH_REGISTRY");
    return env == null || env.isBlank() ? Optional.empty() : Optional.of(env.strip());
  }

  /**
   * The namespace of this command ({@link NamespaceChoice#of}): {@code --namespace}, else
   * {@code $BERTH_NAMESPACE}, else the stack's found from the current directory, else
   * {@code ""}.
   *
   * @throws IllegalArgumentException a bad value, naming where it came from (a usage error)
   */
  public String namespace() {
    return NamespaceChoice.of(namespaceOption, System.getenv(Namespace.ENV), Path.of(""));
  }

  /**
   * The one namespace {@code berth ls} shows ({@code --namespace}, else the variable); empty:
   * all of them.
   *
   * @throws IllegalArgumentException a bad value, naming where it came from (a usage error)
   */
  public Optional<String> namespaceFilter() {
    return Optional.ofNullable(NamespaceChoice.filter(namespaceOption, System.getenv(Namespace.ENV)));
  }

  /** {@code registry.json} of the state dir, if there is one; a failure naming it if it cannot be read. */
  public Optional<RegistryInfo> registryFile() {
    try {
      return StateDir.of(home()).readRegistryInfo();
    } catch (IOException e) {
      throw CliException.failure(e.getMessage(), e);
    }
  }

  /** The address to reach the registry at, or a failure telling the user to start one. */
  public String registryAddress() {
    return registryOverride()
        .or(() -> registryFile().map(RegistryInfo::getAddress))
        .orElseThrow(() -> CliException.failure("no Berth registry running (no registry.json in "
            + home() + "): start one with 'berth registry start'"));
  }

  /**
   * A client of the running registry; never starts one. Only {@code --registry} or
   * {@code $BERTH_REGISTRY} fixes the address: otherwise the client reads {@code registry.json}
   * itself and believes it only while a registry holds the state dir's lifetime lock, so a file
   * left by a killed registry sends the token to nobody.
   */
  public Berth connect() {
    String address = registryAddress(); // for the messages; fails at once without registry.json
    Berth.Builder builder = Berth.builder().stateDir(home()).autoStart(false).namespace(namespace());
    registryOverride().ifPresent(builder::registry);
    try {
      return builder.build();
    } catch (RuntimeException e) {
      throw explain(address, e);
    }
  }

  /** A client of the registry, starting one in the background if none answers. */
  public Berth connectOrStart() {
    return connectOrStart(namespace());
  }

  /** {@link #connectOrStart()} in {@code namespace} (a stack's, for {@code berth up -f FILE}). */
  public Berth connectOrStart(String namespace) {
    Berth.Builder builder = Berth.builder().stateDir(home()).autoStart(true).namespace(namespace);
    registryOverride().ifPresent(builder::registry);
    return builder.build();
  }

  /** Calls the registry with the token and a deadline, turning "not there" into advice. */
  public <T> T ask(Berth berth, Function<RegistryGrpc.RegistryBlockingStub, T> rpc) {
    String address = registryOverride().orElseGet(
        () -> registryFile().map(RegistryInfo::getAddress).orElse("?"));
    try {
      return rpc.apply(InternalBerth.registryStub(berth).withDeadlineAfter(RPC_DEADLINE_SECONDS, TimeUnit.SECONDS));
    } catch (RuntimeException e) {
      throw explain(address, e);
    }
  }

  private RuntimeException explain(String address, RuntimeException e) {
    if (e instanceof BerthException b
        && (b.status().getCode() != Status.Code.UNAVAILABLE || registryOverride().isEmpty())) {
      return e; // the library's own words already name the state dir, its log and the fix
    }
    Status status = e instanceof BerthException b ? b.status() : Status.fromThrowable(e);
    switch (status.getCode()) {
      case UNAVAILABLE:
      case DEADLINE_EXCEEDED:
        if (registryOption != null && !registryOption.isBlank()) {
          // berth registry start would start one where the state dir says, not at the address given
          return CliException.failure("no Berth registry answers at " + address
              + " (from --registry): check the address, or drop --registry to use the state dir's", e);
        }
        if (registryOverride().isPresent()) {
          return CliException.failure("no Berth registry answers at " + address
              + " (from $BERTH_REGISTRY): check it, or unset it to use the state dir's", e);
        }
        return CliException.failure("no Berth registry answers at " + address + " (state dir "
            + home() + "): start one with 'berth registry start'", e);
      case UNAUTHENTICATED:
        return CliException.failure("the registry at " + address + " refused the token in "
            + home().resolve("token") + ": it belongs to another state dir (use --home)", e);
      default:
        return e;
    }
  }
}
