package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.Instance;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryHttpTest {

  @Test
  void serviceDiscovery_writesAnIpv6OnlyTargetInBrackets() {
    Instance six = Instance.newBuilder().setService("six").setInstanceId("six-1")
        .addEndpoints(Endpoint.newBuilder().setName("metrics").setHost("::1").setPort(9100))
        .build();
    Instance four = Instance.newBuilder().setService("four").setInstanceId("four-2")
        .addEndpoints(Endpoint.newBuilder().setName("metrics").setHost("127.0.0.1").setPort(9101))
        .build();

    String json = RegistryHttp.serviceDiscovery(List.of(six, four));

    assertThat(json).contains("\"targets\":[\"[::1]:9100\"]", "\"targets\":[\"127.0.0.1:9101\"]");
  }
}
