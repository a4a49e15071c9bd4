package dev.berth.client.internal;

import io.grpc.Attributes;
import io.grpc.ConnectivityState;
import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerProvider;
import io.grpc.LoadBalancerRegistry;
import io.grpc.NameResolver.ConfigOrError;
import io.grpc.Status;
import java.util.Map;

/**
 * The {@code berth_round_robin} policy that {@code berth:} targets select: round-robin over the
 * live instances, and, when the registry says none is live, no connection at all.
 *
 * <p>Plain {@code round_robin} cannot take an empty address list: the channel turns it into a
 * resolution error, after which round_robin keeps its subchannels and goes on dialling the dead
 * instance's port, failing calls with "io exception" (or reaching whatever binds that port
 * next). This policy accepts the empty list: it shuts the round_robin child down and fails
 * picks with "no live instance of 'x'" (wait-for-ready calls wait), and starts a new child when
 * an instance appears. Resolution errors (the registry away) go to the child, which keeps its
 * connections.
 *
 * <p>Registered through {@code META-INF/services/io.grpc.LoadBalancerProvider}. Thread-safe;
 * the balancers it makes are confined to their channel's SynchronizationContext.
 */
public final class BerthLoadBalancerProvider extends LoadBalancerProvider {
  /** The policy name used in the resolver's service config. */
  public static final String POLICY = "berth_round_robin";

  /** On an empty address list: why there is none, e.g. "no live instance of 'catalog'". */
  static final Attributes.Key<String> NO_INSTANCE = Attributes.Key.create("berth.no-instance");

  @Override
  public boolean isAvailable() {
    return true;
  }

  @Override
  public int getPriority() {
    return 5;
  }

  @Override
  public String getPolicyName() {
    return POLICY;
  }

  @Override
  public ConfigOrError parseLoadBalancingPolicyConfig(Map<String, ?> rawConfig) {
    return roundRobin().parseLoadBalancingPolicyConfig(Map.of());
  }

  @Override
  public LoadBalancer newLoadBalancer(LoadBalancer.Helper helper) {
    return new Balancer(helper);
  }

  private static LoadBalancerProvider roundRobin() {
    LoadBalancerProvider provider = LoadBalancerRegistry.getDefaultRegistry().getProvider("round_robin");
    if (provider == null) {
      throw new IllegalStateException("grpc's round_robin policy is not on the class path");
    }
    return provider;
  }

  /** Confined to the channel's SynchronizationContext, as every LoadBalancer is. */
  private static final class Balancer extends LoadBalancer {
    private final Helper helper;
    private LoadBalancer child;

    Balancer(Helper helper) {
      this.helper = helper;
    }

    @Override
    public boolean canHandleEmptyAddressListFromNameResolution() {
      return true;
    }

    @Override
    public Status acceptResolvedAddresses(ResolvedAddresses resolved) {
      if (resolved.getAddresses().isEmpty()) {
        shutdownChild();
        String why = resolved.getAttributes().get(NO_INSTANCE);
        Status status = Status.UNAVAILABLE.withDescription(why != null ? why : "no live instance");
        helper.updateBalancingState(ConnectivityState.TRANSIENT_FAILURE,
            new FixedResultPicker(PickResult.withError(status)));
        return Status.OK;
      }
      if (child == null) {
        child = roundRobin().newLoadBalancer(helper);
      }
      return child.acceptResolvedAddresses(resolved);
    }

    @Override
    public void handleNameResolutionError(Status error) {
      if (child != null) {
        child.handleNameResolutionError(error);
      } else {
        helper.updateBalancingState(ConnectivityState.TRANSIENT_FAILURE,
            new FixedResultPicker(PickResult.withError(error)));
      }
    }

    @Override
    public void requestConnection() {
      if (child != null) {
        child.requestConnection();
      }
    }

    @Override
    public void shutdown() {
      shutdownChild();
    }

    private void shutdownChild() {
      if (child != null) {
        child.shutdown();
        child = null;
      }
    }
  }
}
