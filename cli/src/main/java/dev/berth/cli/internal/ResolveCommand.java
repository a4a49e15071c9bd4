package dev.berth.cli.internal;

import dev.berth.client.Berth;
import dev.berth.client.internal.Addresses;
import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.ListResponse;
import dev.berth.proto.v1.ResolveRequest;
import dev.berth.proto.v1.ResolveResponse;
import dev.berth.proto.v1.Target;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth resolve NAME[/ENDPOINT]}: prints {@code 127.0.0.1:PORT} (or {@code [::1]:PORT} for
 * an instance that listens on ::1 only, {@code unix:/path} for a Unix socket endpoint) and
 * nothing else. Looked up in the command's namespace ({@link CliContext#namespace}): its
 * instances when any is live, else the default namespace's.
 */
@Command(name = "resolve", mixinStandardHelpOptions = true,
    description = "Print the address of a live instance (127.0.0.1:PORT, [::1]:PORT when it listens "
        + "on ::1 only, unix:/path for a Unix socket endpoint); exit 1 if there is none. In a "
        + "namespace (-n, $BERTH_NAMESPACE, or the stack of this directory), its instances when "
        + "any is live, else the default namespace's.")
public final class ResolveCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "NAME[/ENDPOINT]", converter = ServiceTarget.Converter.class,
      description = "A service, optionally with an endpoint (default: main), e.g. orders or gateway/http.")
  ServiceTarget target;

  @Option(names = "--all", description = "Every live instance, one address per line.")
  boolean all;

  @Override
  public Integer call() {
    CliContext ctx = ctx();
    String namespace = ctx.namespace();
    ResolveResponse response;
    try (Berth berth = ctx.connect()) {
      try {
        response = ctx.ask(berth, stub -> stub.resolve(ResolveRequest.newBuilder()
            .setService(target.service)
            .setEndpoint(target.endpoint)
            .setNamespace(namespace)
            .build()));
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
          throw e;
        }
        response = ResolveResponse.getDefaultInstance();
      }
      if (response.getTargetsCount() == 0) {
        throw CliException.failure(
            "no live instance of '" + target + "'" + liveEndpoints(ctx, berth, namespace));
      }
    }
    for (Target t : response.getTargetsList()) {
      ctx.out().println(Addresses.of(t)); // 127.0.0.1:P, [::1]:P or unix:/path
      if (!all) {
        break;
      }
    }
    ctx.out().flush();
    return 0;
  }

  /** " (live: docs/http)" when the service has other live endpoints than the one asked for: a likely typo. */
  private String liveEndpoints(CliContext ctx, Berth berth, String namespace) {
    ListResponse list = ctx.ask(berth, stub -> stub.list(ListRequest.getDefaultInstance()));
    Set<String> others = new TreeSet<>();
    // the endpoints a lookup from this namespace would find, as the fast path says it
    for (InstanceRow row : NamespaceChoice.visible(InstanceRow.of(list), namespace)) {
      if (row.service.equals(target.service)) {
        others.add(row.service + "/" + row.endpoint);
      }
    }
    return others.isEmpty() ? "" : " (live: " + String.join(", ", others) + ")";
  }
}
