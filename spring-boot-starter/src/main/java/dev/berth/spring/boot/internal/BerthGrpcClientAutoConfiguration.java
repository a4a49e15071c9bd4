package dev.berth.spring.boot.internal;

import dev.berth.client.Address;
import dev.berth.client.Berth;
import dev.berth.client.BerthWatch;
import dev.berth.client.internal.BerthNameResolverProvider;
import dev.berth.client.internal.BerthTarget;
import dev.berth.client.internal.Discovery;
import dev.berth.spring.boot.BerthAutoConfiguration;
import java.net.URI;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.grpc.client.GrpcChannelBuilderCustomizer;

/**
 * Spring gRPC channels to {@code berth:} addresses resolve through the starter's {@link Berth}
 * (its {@code berth.registry}, {@code berth.home}, {@code berth.namespace}), as
 * {@code Berth.channel} does, not through the process-wide connection gRPC's default resolver
 * registry would use. A channel's target is the name given to {@code createChannel} or its
 * {@code spring.grpc.client.channels.<name>.address}. A target naming another namespace
 * ({@code ?namespace=}) than the starter's is left to the default registry's resolver.
 */
@AutoConfiguration(after = BerthAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "berth.enabled", matchIfMissing = true)
@ConditionalOnClass(GrpcChannelBuilderCustomizer.class)
public class BerthGrpcClientAutoConfiguration {
  @Bean
  @SuppressWarnings("rawtypes")
  GrpcChannelBuilderCustomizer berthChannelResolver(Berth berth, Environment env) {
    return (name, builder) -> {
      String target = name.startsWith(BerthTarget.SCHEME + ":") ? name
          : env.getProperty("spring.grpc.client.channels." + name + ".address", "");
      if (!target.startsWith(BerthTarget.SCHEME + ":")) {
        return;
      }
      URI uri = URI.create(target);
      if (BerthTarget.problem(uri) == null && !berth.namespace().equals(BerthTarget.parse(uri, berth.namespace()).namespace())) {
        return;
      }
      // a per-channel resolver registry holding only Berth's provider, bound to this Berth;
      // a malformed target still fails build() with the provider's one line
      builder.nameResolverFactory(new BerthNameResolverProvider(new BerthDiscovery(berth), null, false, berth.namespace()));
    };
  }

  /** {@link Discovery} over a {@link Berth}'s public look-ups, in its own namespace. Thread-safe. */
  static final class BerthDiscovery implements Discovery {
    private final Berth berth;

    BerthDiscovery(Berth berth) {
      this.berth = berth;
    }

    @Override
    public List<Address> resolve(BerthTarget name) {
      return berth.resolveAll(name(name));
    }

    @Override
    public Watch watch(BerthTarget name, Listener listener) {
      BerthWatch watch = berth.watch(name(name), listener::onAddresses);
      return watch::close;
    }

    private static String name(BerthTarget target) {
      return target.endpoint() == null ? target.service() : target.service() + "/" + target.endpoint();
    }
  }
}
