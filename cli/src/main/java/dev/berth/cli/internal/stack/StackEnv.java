package dev.berth.cli.internal.stack;

import dev.berth.cli.internal.ChildEnv;
import dev.berth.cli.internal.CliContext;
import dev.berth.cli.internal.CliException;
import dev.berth.cli.internal.DebugRuntime;
import dev.berth.client.Address;
import dev.berth.client.Berth;
import dev.berth.client.InternalBerth;
import dev.berth.proto.v1.ResolveRequest;
import dev.berth.proto.v1.ResolveResponse;
import dev.berth.proto.v1.Target;
import io.grpc.StatusRuntimeException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The environment of one process of a stack: {@code PORT} and {@code BERTH_PORT_<ENDPOINT>}
 * (when the supervisor holds the lease), {@code BERTH_SERVICE}, {@code BERTH_INSTANCE},
 * {@code BERTH_NAMESPACE}, {@code BERTH_HOME}, {@code BERTH_REGISTRY}, then the service's own
 * {@code env} with {@code ${...}} expanded from the addresses the supervisor knows (its own
 * live instances), else from the registry (a service outside the stack). Thread-safe.
 */
final class StackEnv {

  private final CliContext ctx;
  private final String namespace;
  private final StackBoard board;
  private final Berth berth;

  StackEnv(CliContext ctx, String namespace, StackBoard board, Berth berth) {
    this.ctx = ctx;
    this.namespace = namespace;
    this.board = board;
    this.berth = berth;
  }

  /** For instance {@code i}; {@code ports} empty for a service that registers itself. */
  Map<String, String> of(ServiceInstance i, Map<String, Integer> ports) {
    Map<String, String> env = new LinkedHashMap<>();
    if (!ports.isEmpty()) {
      ChildEnv.ports(env, i.spec.endpoints().get(0), ports);
    }
    ChildEnv.berth(env, ctx, i.spec.name());
    env.put("BERTH_INSTANCE", Integer.toString(i.index));
    env.put("BERTH_NAMESPACE", namespace);
    i.spec.env().forEach((key, value) -> env.put(key, expand(i.spec, key, value)));
    return env;
  }

  /**
   * Starts {@code runtime}'s agent at {@code port} through {@code env} (as {@link #of} made it):
   * after what the service's env, else the supervisor's own environment ({@code inherited}), put
   * in the agent's variable, which the child would inherit anyway.
   *
   * @throws IllegalArgumentException that value already starts an agent (the message says so)
   */
  static void debug(Map<String, String> env, DebugRuntime runtime, int port, Map<String, String> inherited) {
    String variable = runtime.variable();
    if (!env.containsKey(variable) && inherited.containsKey(variable)) {
      env.put(variable, inherited.get(variable));
    }
    runtime.apply(env, port);
  }

  private String expand(ServiceSpec spec, String key, String value) {
    if (!value.contains("${")) {
      return value;
    }
    return EnvTemplate.expand(value, ref -> address(spec, key, ref));
  }

  private String address(ServiceSpec spec, String key, EnvTemplate.Ref ref) {
    String endpoint = ref.endpoint() == null || ref.endpoint().isEmpty() ? null : ref.endpoint();
    var own = board.read(() -> board.firstLive(ref.service()).map(i -> {
      String ep = endpoint == null ? i.spec.endpoints().get(0) : endpoint;
      Integer port = i.ports.get(ep);
      if (ep.equals(i.spec.endpoints().get(0)) && i.address != null) {
        return i.address;
      }
      return port == null ? null : Address.tcp(i.address == null ? "127.0.0.1" : i.address.host(), port);
    }));
    if (own.isPresent()) {
      return own.get().toString();
    }
    if (!board.read(() -> board.of(ref.service())).isEmpty()) {
      // a service of this stack is never looked up elsewhere: the registry would fall back to
      // the default namespace's of that name; this start fails and waits at the gate again
      throw CliException.failure(spec.name() + ": env " + key + ": " + ref.text() + " names "
          + ref.service() + " of this stack, which is not live now; starting again once it is");
    }
    return resolve(spec, key, ref.service(), endpoint == null ? "" : endpoint);
  }

  private String resolve(ServiceSpec spec, String key, String service, String endpoint) {
    String what = spec.name() + ": env " + key + ": ${" + service + (endpoint.isEmpty() ? "" : "/" + endpoint) + "}";
    try {
      ResolveResponse r = InternalBerth.registryStub(berth).withDeadlineAfter(5, TimeUnit.SECONDS)
          .resolve(ResolveRequest.newBuilder().setService(service).setEndpoint(endpoint)
              .setNamespace(namespace).build());
      Target t = r.getTargets(0);
      return Address.tcp(t.getHost(), t.getPort()).toString();
    } catch (StatusRuntimeException | IndexOutOfBoundsException e) {
      throw CliException.failure(what + " names no live instance (in namespace " + namespace
          + " or the default one)", e);
    }
  }
}
