package dev.berth.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Attributes;
import io.grpc.ConnectivityState;
import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerRegistry;
import io.grpc.NameResolver;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy's own paths, with a hand-written helper; the connected paths are end to end in CallByNameTest. */
class BerthLoadBalancerProviderTest {

  /** Records the last state the balancer published. */
  private static final class RecordingHelper extends LoadBalancer.Helper {
    ConnectivityState state;
    LoadBalancer.SubchannelPicker picker;

    @Override
    public void updateBalancingState(ConnectivityState state, LoadBalancer.SubchannelPicker picker) {
      this.state = state;
      this.picker = picker;
    }

    @Override
    public String getAuthority() {
      return "orders";
    }

    @Override
    public io.grpc.ManagedChannel createOobChannel(io.grpc.EquivalentAddressGroup eag, String authority) {
      throw new UnsupportedOperationException("not used by the policy");
    }

    Status pickError() {
      return picker.pickSubchannel(null).getStatus();
    }
  }

  @Test
  void registeredUnderItsPolicyName() {
    assertThat(LoadBalancerRegistry.getDefaultRegistry().getProvider(BerthLoadBalancerProvider.POLICY))
        .isInstanceOf(BerthLoadBalancerProvider.class);
  }

  @Test
  void acceptResolvedAddresses_empty_failsPicksWithTheResolversReason() {
    RecordingHelper helper = new RecordingHelper();
    LoadBalancer balancer = new BerthLoadBalancerProvider().newLoadBalancer(helper);

    Status accepted = balancer.acceptResolvedAddresses(LoadBalancer.ResolvedAddresses.newBuilder()
        .setAddresses(List.of())
        .setAttributes(Attributes.newBuilder()
            .set(BerthLoadBalancerProvider.NO_INSTANCE, "no live instance of 'orders'").build())
        .build());

    assertThat(accepted.isOk()).isTrue();
    assertThat(balancer.canHandleEmptyAddressListFromNameResolution()).isTrue();
    assertThat(helper.state).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
    assertThat(helper.pickError().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(helper.pickError().getDescription()).isEqualTo("no live instance of 'orders'");
    balancer.requestConnection(); // no child: nothing to connect, nothing thrown
    balancer.shutdown();
  }

  @Test
  void handleNameResolutionError_beforeAnyAddress_failsPicksWithThatError() {
    RecordingHelper helper = new RecordingHelper();
    LoadBalancer balancer = new BerthLoadBalancerProvider().newLoadBalancer(helper);

    balancer.handleNameResolutionError(Status.UNAVAILABLE.withDescription("no Berth registry"));

    assertThat(helper.state).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
    assertThat(helper.pickError().getDescription()).isEqualTo("no Berth registry");
    balancer.shutdown();
  }

  @Test
  void parseLoadBalancingPolicyConfig_acceptsAnEmptyConfig() {
    NameResolver.ConfigOrError parsed = new BerthLoadBalancerProvider()
        .parseLoadBalancingPolicyConfig(java.util.Map.of());
    assertThat(parsed.getError()).isNull();
  }
}
