package dev.berth.cli.internal.doctor;

import dev.berth.local.ServiceName;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.RegistryInfo;
import dev.berth.proto.v1.StickyBerth;
import dev.berth.registry.internal.BerthsFile;
import dev.berth.registry.internal.PortPool;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the state dir and its registry said when doctor looked ({@link RegistryReader}): the
 * lifetime lock, {@code registry.json}, the live instances ({@code List}), the remembered
 * berths and the pool ({@code Berths}, else {@code berths.json} and {@code $BERTH_PORTS}).
 * Immutable.
 *
 * @param stateDir the state dir looked at
 * @param running a registry holds the dir's lifetime lock
 * @param info {@code registry.json}, if it could be read
 * @param infoError why {@code registry.json} cannot be read; empty when it can, or is missing
 * @param trustFailure why the dir or token is not trusted, so the registry was not asked; empty when trusted
 * @param askFailure why asking the registry failed; empty when it answered, or was not asked
 * @param answered the registry answered {@code List}
 * @param instances its live instances, every namespace's
 * @param berths the remembered berths, from {@code Berths} when the registry answered it, else from the file
 * @param berthsFromRegistry whether {@code berths} came from the registry
 * @param berthsFile {@code berths.json} as the registry would read it, read without changing it
 * @param pool the registry's pool ({@code Berths}), else {@code $BERTH_PORTS} when no registry runs
 * @param poolSource where {@code pool} came from, for messages
 */
public record RegistryFacts(
    Path stateDir,
    boolean running,
    Optional<RegistryInfo> info,
    String infoError,
    String trustFailure,
    String askFailure,
    boolean answered,
    List<Instance> instances,
    List<StickyBerth> berths,
    boolean berthsFromRegistry,
    BerthsFile.Peek berthsFile,
    Optional<PortPool> pool,
    String poolSource) {

  /** One endpoint of a live instance. */
  record InstanceEndpoint(Instance instance, Endpoint endpoint) {

    /** {@code orders/http}, with {@code " in namespace NS"} outside the default namespace. */
    String name() {
      return RegistryFacts.name(instance.getService(), endpoint.getName(), instance.getNamespace());
    }
  }

  /** The live instance endpoint on {@code port}, if the registry listed one. */
  Optional<InstanceEndpoint> instanceOn(int port) {
    for (Instance i : instances) {
      for (Endpoint e : i.getEndpointsList()) {
        if (e.getPort() == port) {
          return Optional.of(new InstanceEndpoint(i, e));
        }
      }
    }
    return Optional.empty();
  }

  /** The running registry's pid (from {@code registry.json} while it holds the lock); 0 otherwise. */
  long registryPid() {
    return running ? info.map(RegistryInfo::getPid).orElse(0L) : 0;
  }

  /** {@code orders/http}, with {@code " in namespace NS"} outside the default namespace. */
  static String name(String service, String endpoint, String namespace) {
    return service + "/" + (endpoint.isEmpty() ? ServiceName.MAIN : endpoint)
        + (namespace.isEmpty() ? "" : " in namespace " + namespace);
  }
}
