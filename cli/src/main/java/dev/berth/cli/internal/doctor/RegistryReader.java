package dev.berth.cli.internal.doctor;

import dev.berth.cli.internal.CliContext;
import dev.berth.client.Berth;
import dev.berth.local.StateDir;
import dev.berth.proto.v1.BerthsRequest;
import dev.berth.proto.v1.BerthsResponse;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.RegistryInfo;
import dev.berth.proto.v1.StickyBerth;
import dev.berth.registry.Main;
import dev.berth.registry.internal.BerthsFile;
import dev.berth.registry.internal.PortPool;
import io.grpc.Status;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@link RegistryFacts} without changing anything: the lifetime lock is tested (never
 * taken for longer than a {@code tryLock}), files are read, never repaired, and the registry is
 * asked only when the state dir and token are trusted and a registry holds the lock (or
 * {@code --registry} / {@code $BERTH_REGISTRY} names one); none is ever started. Used on the
 * calling thread.
 */
public final class RegistryReader {

  private RegistryReader() {}

  /** The facts of {@code ctx}'s state dir and registry; {@code env} gives {@code $BERTH_PORTS}. */
  public static RegistryFacts read(CliContext ctx, Map<String, String> env) {
    StateDir dir = StateDir.of(ctx.home());
    boolean running = dir.registryRunning();
    Optional<RegistryInfo> info = Optional.empty();
    String infoError = "";
    try {
      info = dir.readRegistryInfo();
    } catch (IOException e) {
      infoError = e.getMessage();
    }
    String trustFailure = "";
    try {
      dir.check();
      dir.checkToken();
    } catch (IOException e) {
      trustFailure = e.getMessage();
    }
    BerthsFile.Peek file = BerthsFile.peek(dir.file(StateDir.BERTHS_JSON));

    String askFailure = "";
    boolean answered = false;
    List<Instance> instances = List.of();
    Optional<BerthsResponse> berths = Optional.empty();
    // a registry that holds the lock without registry.json yet is starting: nothing to ask
    boolean ask = trustFailure.isEmpty()
        && ((running && info.isPresent()) || ctx.registryOverride().isPresent());
    if (ask) {
      try (Berth berth = ctx.connect()) {
        instances = ctx.ask(berth, stub -> stub.list(ListRequest.getDefaultInstance())).getInstancesList();
        answered = true;
        berths = berthsOf(ctx, berth);
      } catch (RuntimeException e) {
        askFailure = e.getMessage() == null ? e.toString() : e.getMessage();
      }
    }

    List<StickyBerth> remembered = berths.map(BerthsResponse::getBerthsList).orElse(file.berths());
    Optional<PortPool> pool = Optional.empty();
    String poolSource = "";
    if (berths.isPresent() && berths.get().getPoolFirst() > 0) {
      pool = Optional.of(PortPool.of(berths.get().getPoolFirst(), berths.get().getPoolLast()));
      poolSource = "the running registry's pool";
    } else if (!answered) {
      pool = poolFromEnv(env.get(Main.PORTS_ENV));
      poolSource = "the pool in $" + Main.PORTS_ENV;
    }
    return new RegistryFacts(dir.path(), running, info, infoError, trustFailure, askFailure,
        answered, instances, remembered, berths.isPresent(), file, pool, poolSource);
  }

  /** {@code Berths}, or empty from a registry that predates it. */
  private static Optional<BerthsResponse> berthsOf(CliContext ctx, Berth berth) {
    try {
      return Optional.of(ctx.ask(berth, stub -> stub.berths(BerthsRequest.getDefaultInstance())));
    } catch (RuntimeException e) {
      if (Status.fromThrowable(e).getCode() == Status.Code.UNIMPLEMENTED) {
        return Optional.empty(); // an older registry: berths.json it is
      }
      throw e;
    }
  }

  /** {@code A-B}; empty when unset or not a range (the registry refuses such a value anyway). */
  static Optional<PortPool> poolFromEnv(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String[] ends = value.strip().split("-");
    try {
      return ends.length == 2
          ? Optional.of(PortPool.of(Integer.parseInt(ends[0].strip()), Integer.parseInt(ends[1].strip())))
          : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
