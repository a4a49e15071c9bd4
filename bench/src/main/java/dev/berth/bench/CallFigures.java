package dev.berth.bench;

import dev.berth.client.Berth;
import dev.berth.client.BerthServer;
import dev.berth.local.LatencySamples;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Unary calls by name ({@code berth.channel("echo")}) against the same server called by host
 * and port, in alternating blocks so that drift (JIT, GC, the other core's load) lands on both.
 * By name goes over the Unix socket the server also listens on (issue 11), by port over
 * loopback TCP with grpc's defaults; {@link GrpcUnixFloor} is what the transport alone gives.
 */
final class CallFigures {
  // small blocks: a GC pause or a burst of load from elsewhere lands on both sides alike
  private static final int BLOCK = 200;

  private CallFigures() {}

  static void run(Berth berth, Scale scale, ResultTable table) throws Exception {
    try (BerthServer server = berth.serve("bench-echo").start()) {
      ManagedChannel byName = berth.channel("bench-echo");
      ManagedChannel byPort = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
          .usePlaintext()
          .build();
      try {
        HealthGrpc.HealthBlockingStub named = HealthGrpc.newBlockingStub(byName);
        HealthGrpc.HealthBlockingStub direct = HealthGrpc.newBlockingStub(byPort);
        LatencySamples namedSamples = new LatencySamples(scale.calls());
        LatencySamples directSamples = new LatencySamples(scale.calls());
        measure(named, direct, scale.callWarmup(), new LatencySamples(scale.callWarmup()), new LatencySamples(scale.callWarmup()));
        System.gc(); // the warm-up's garbage is not collected inside the measured calls
        measure(named, direct, scale.calls(), namedSamples, directSamples);

        double p50 = namedSamples.p50() / directSamples.p50();
        double p99 = namedSamples.p99() / directSamples.p99();
        table.add(new Row(
            "unary call by name, berth.channel(\"x\")",
            Units.latency(namedSamples),
            "by host:port: " + Units.latency(directSamples),
            "p50 " + Units.ratio(p50) + ", p99 " + Units.ratio(p99),
            "p50 ≤ 0.85 (by name faster)",
            p50 <= 0.85,
            Map.of("p50_ns", namedSamples.p50(), "p99_ns", namedSamples.p99(),
                "baseline_p50_ns", directSamples.p50(), "baseline_p99_ns", directSamples.p99(),
                "count", (double) namedSamples.count())));
      } finally {
        byName.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        byPort.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  static void measure(HealthGrpc.HealthBlockingStub a, HealthGrpc.HealthBlockingStub b,
      int calls, LatencySamples sa, LatencySamples sb) {
    HealthCheckRequest request = HealthCheckRequest.getDefaultInstance();
    for (int done = 0; done < calls; done += BLOCK) {
      int n = Math.min(BLOCK, calls - done);
      // which side goes first alternates too, so neither always runs right after a GC
      boolean aFirst = (done / BLOCK) % 2 == 0;
      block(aFirst ? a : b, aFirst ? sa : sb, request, n);
      block(aFirst ? b : a, aFirst ? sb : sa, request, n);
    }
  }

  private static void block(HealthGrpc.HealthBlockingStub stub, LatencySamples samples,
      HealthCheckRequest request, int n) {
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      stub.check(request);
      samples.add(System.nanoTime() - start);
    }
  }
}
