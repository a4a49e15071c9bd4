package dev.berth.registry.internal;

import com.google.protobuf.Timestamp;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire form of {@link LeaseEntry} rows: {@code Endpoint}, {@code Instance}, {@code Target}.
 * Called by the lease table under its monitor; stateless.
 */
final class InstanceMessages {

  private InstanceMessages() {}

  static Endpoint endpoint(LeaseEntry lease, int index) {
    Endpoint.Builder e = Endpoint.newBuilder()
        .setName(lease.registration.endpoints().get(index).name());
    if (lease.isUnix(index)) {
      return e.setUnixPath(lease.unixPath(index)).build(); // host empty, port 0
    }
    return e.setHost(lease.hosts[index]).setPort(lease.ports[index])
        .setAlsoUnixPath(lease.alsoUnixPath(index)).build();
  }

  static List<Endpoint> endpoints(LeaseEntry lease) {
    List<Endpoint> out = new ArrayList<>();
    for (int i = 0; i < lease.ports.length; i++) {
      out.add(endpoint(lease, i));
    }
    return out;
  }

  static Target target(LeaseEntry lease, int index) {
    Target.Builder t = Target.newBuilder()
        .setInstanceId(lease.instanceId)
        .setPid(lease.registration.pid());
    if (lease.isUnix(index)) {
      return t.setUnixPath(lease.unixPath(index)).build();
    }
    return t.setHost(lease.hosts[index]).setPort(lease.ports[index])
        .setAlsoUnixPath(lease.alsoUnixPath(index)).build();
  }

  static Instance instance(LeaseEntry lease) {
    return Instance.newBuilder()
        .setService(lease.service())
        .setInstanceId(lease.instanceId)
        .setPid(lease.registration.pid())
        .addAllEndpoints(endpoints(lease))
        .setLiveSince(Timestamp.newBuilder()
            .setSeconds(lease.liveSince.getEpochSecond())
            .setNanos(lease.liveSince.getNano()))
        .putAllMetadata(lease.registration.metadata())
        .setNamespace(lease.namespace())
        .build();
  }
}
