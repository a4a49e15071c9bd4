package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.BerthRegistry;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsTest {
  @TempDir Path home;

  @Test
  void interceptors_afterRealCalls_recordClientAndServerTimersWithTags() throws Exception {
    SimpleMeterRegistry serverMeters = new SimpleMeterRegistry();
    PrometheusMeterRegistry clientMeters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (BerthRegistry registry = TestRegistry.start(home);
        Berth service = Berth.builder().registry("127.0.0.1:" + registry.port()).stateDir(home)
            .meterRegistry(serverMeters).build();
        Berth client = Berth.builder().registry("127.0.0.1:" + registry.port()).stateDir(home)
            .meterRegistry(clientMeters).build()) {
      service.serve("who").addService(WhoService.named("a")).start();
      ManagedChannel channel = client.channel("who");

      for (int i = 0; i < 3; i++) {
        WhoService.call(channel);
      }
      assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, WhoService.FAIL, CallOptions.DEFAULT, ""))
          .isInstanceOf(StatusRuntimeException.class);
      MethodDescriptor<String, String> missing = WhoService.NAME.toBuilder()
          .setFullMethodName("berth.test.Who/Missing").build();
      assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, missing, CallOptions.DEFAULT, ""))
          .isInstanceOf(StatusRuntimeException.class);

      Timer clientOk = clientMeters.get("berth.client.call.duration")
          .tags("service", "who", "method", "berth.test.Who/Name", "status", "OK").timer();
      assertThat(clientOk.count()).isEqualTo(3);
      assertThat(clientOk.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
      assertThat(clientMeters.scrape()) // percentile histogram buckets, tagged
          .contains("berth_client_call_duration_seconds_bucket{")
          .contains("method=\"berth.test.Who/Name\"");
      assertThat(clientMeters.get("berth.client.call.duration")
          .tags("service", "who", "method", "berth.test.Who/Missing", "status", "UNIMPLEMENTED")
          .timer().count()).isEqualTo(1);

      // the server records after it has sent the close; give it a moment to get there
      Waits.until(Duration.ofSeconds(5), () -> serverMeters.find("berth.server.call.duration")
          .tags("service", "who", "method", "berth.test.Who/Name", "status", "OK")
          .timers().stream().mapToLong(Timer::count).sum() == 3);
      Waits.until(Duration.ofSeconds(5), () -> serverMeters.find("berth.server.call.duration")
          .tags("service", "who", "method", "berth.test.Who/Fail", "status", "FAILED_PRECONDITION")
          .timer() != null);
      assertThat(clientMeters.get("berth.client.call.duration")
          .tags("service", "who", "method", "berth.test.Who/Fail", "status", "FAILED_PRECONDITION")
          .timer().count()).isEqualTo(1);
      // each side records only its own side
      assertThat(serverMeters.find("berth.client.call.duration").meters()).isEmpty();
      assertThat(clientMeters.find("berth.server.call.duration").meters()).isEmpty();
    }
  }
}
