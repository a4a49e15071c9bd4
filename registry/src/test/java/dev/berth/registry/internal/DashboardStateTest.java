package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Timestamp;
import dev.berth.local.PortProbe;
import dev.berth.proto.v1.RegistryInfo;
import dev.berth.testing.PortRange;
import dev.berth.testing.TestPools;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code state} event over a real lease table and conflict log, read back as JSON. */
class DashboardStateTest {

  private static final Instant LIVE_AT = Instant.parse("2026-12-02T13:01:00Z");
  private static final Instant STARTED = Instant.parse("2026-12-02T13:00:00.250Z");
  private static final RegistryInfo INFO = RegistryInfo.newBuilder()
      .setPid(4242)
      .setStarted(Timestamp.newBuilder().setSeconds(STARTED.getEpochSecond()).setNanos(STARTED.getNano()))
      .setAddress("127.0.0.1:9999")
      .setHttpAddress("127.0.0.1:9998")
      .build();

  @TempDir Path dir;
  private final Clock clock = Clock.fixed(LIVE_AT, ZoneOffset.UTC);
  private LeaseTable table;
  private ConflictLog conflicts;
  private DashboardState state;

  @BeforeEach
  void setUp() throws Exception {
    PortRange pool = TestPools.take(8);
    PortCheck probe = PortCheck.of(new PortProbe());
    StickyPorts sticky = StickyPorts.load(dir.resolve("berths.json"), clock);
    table = new LeaseTable(new PortAllocator(PortPool.of(pool.first(), pool.last()), probe, sticky,
        () -> -1), probe, 10, clock);
    conflicts = new ConflictLog(clock);
    state = new DashboardState(table, conflicts, () -> INFO, dir, clock);
  }

  private static Registration registration(String namespace, String service,
      Map<String, String> metadata, Registration.EndpointSpec... endpoints) {
    return new Registration(namespace, service, List.of(endpoints), 1234, metadata);
  }

  private static Registration.EndpointSpec tcp(String name) {
    return new Registration.EndpointSpec(name, 0, false);
  }

  private JsonObject parsed() {
    String json = state.json();
    assertThat(json).doesNotContain("\n"); // one SSE data line
    return JsonParser.parseString(json).getAsJsonObject();
  }

  private static JsonObject instance(JsonObject state, String instanceId) {
    for (var i : state.getAsJsonArray("instances")) {
      if (i.getAsJsonObject().get("instanceId").getAsString().equals(instanceId)) {
        return i.getAsJsonObject();
      }
    }
    throw new AssertionError("no instance " + instanceId + " in " + state);
  }

  @Test
  void json_saysTheRegistryAndTheTimeButNotTheOwner() {
    JsonObject s = parsed();

    JsonObject registry = s.getAsJsonObject("registry");
    assertThat(registry.get("pid").getAsLong()).isEqualTo(4242);
    assertThat(registry.get("startedAt").getAsString()).isEqualTo("2026-12-02T13:00:00.250Z");
    assertThat(registry.get("address").getAsString()).isEqualTo("127.0.0.1:9999");
    assertThat(registry.get("httpAddress").getAsString()).isEqualTo("127.0.0.1:9998");
    assertThat(registry.get("stateDir").getAsString()).isEqualTo(dir.toString());
    assertThat(s.get("now").getAsString()).isEqualTo("2026-12-02T13:01:00Z");
    assertThat(s.has("owner")).as("DashboardHttp adds it per request").isFalse();
    assertThat(s.getAsJsonArray("instances")).isEmpty();
    assertThat(s.getAsJsonArray("conflicts")).isEmpty();
  }

  @Test
  void json_followsAnInstanceFromReservedToLiveToGone() {
    LeaseTable.Reservation r = table.reserve(registration("", "orders",
        Map.of("command", "java -jar orders.jar", "debug", "jdwp"), tcp("grpc"), tcp("http")),
        new ArrayList<>());
    int grpcPort = r.endpoints().get(0).getPort();
    int httpPort = r.endpoints().get(1).getPort();

    JsonObject reserved = instance(parsed(), r.instanceId());
    assertThat(reserved.get("service").getAsString()).isEqualTo("orders");
    assertThat(reserved.get("namespace").getAsString()).isEmpty();
    assertThat(reserved.get("pid").getAsLong()).isEqualTo(1234);
    assertThat(reserved.get("state").getAsString()).isEqualTo("reserved");
    assertThat(reserved.get("since").isJsonNull()).isTrue();
    assertThat(reserved.get("command").getAsString()).isEqualTo("java -jar orders.jar");
    assertThat(reserved.get("debug").getAsString()).isEqualTo("jdwp");
    JsonObject reservedGrpc = reserved.getAsJsonArray("endpoints").get(0).getAsJsonObject();
    assertThat(reservedGrpc.get("name").getAsString()).isEqualTo("grpc");
    assertThat(reservedGrpc.get("address").getAsString()).isEqualTo("127.0.0.1:" + grpcPort);
    assertThat(reservedGrpc.get("listen").getAsString()).as("not known before ready").isEmpty();
    assertThat(reservedGrpc.get("exposed").getAsBoolean()).isFalse();

    table.markLive(r.instanceId(), List.of(new ListenCheck.Listening("127.0.0.1", "0.0.0.0"),
        new ListenCheck.Listening("::1", "::1")));

    JsonObject live = instance(parsed(), r.instanceId());
    assertThat(live.get("state").getAsString()).isEqualTo("live");
    assertThat(live.get("since").getAsString()).isEqualTo("2026-12-02T13:01:00Z");
    JsonArray endpoints = live.getAsJsonArray("endpoints");
    assertThat(endpoints).hasSize(2);
    JsonObject grpc = endpoints.get(0).getAsJsonObject();
    assertThat(grpc.get("address").getAsString()).isEqualTo("127.0.0.1:" + grpcPort);
    assertThat(grpc.get("listen").getAsString()).isEqualTo("0.0.0.0:" + grpcPort);
    assertThat(grpc.get("exposed").getAsBoolean()).as("a wildcard answers the network").isTrue();
    JsonObject http = endpoints.get(1).getAsJsonObject();
    assertThat(http.get("name").getAsString()).isEqualTo("http");
    assertThat(http.get("address").getAsString()).isEqualTo("[::1]:" + httpPort);
    assertThat(http.get("listen").getAsString()).isEqualTo("[::1]:" + httpPort);
    assertThat(http.get("exposed").getAsBoolean()).isFalse();

    table.remove(r.instanceId());

    assertThat(parsed().getAsJsonArray("instances")).isEmpty();
  }

  @Test
  void json_listsEveryNamespaceLiveFirstThenReserved() {
    LeaseTable.Reservation web = table.reserve(registration("", "web", Map.of(), tcp("http")),
        new ArrayList<>());
    LeaseTable.Reservation shopOrders = table.reserve(registration("shop", "orders", Map.of(),
        tcp("grpc")), new ArrayList<>());
    LeaseTable.Reservation orders = table.reserve(registration("", "orders", Map.of(),
        tcp("grpc")), new ArrayList<>());
    LeaseTable.Reservation socket = table.reserve(registration("", "cache", Map.of(),
        new Registration.EndpointSpec("main", 0, false, dir.resolve("cache.sock").toString(), "")),
        new ArrayList<>());
    table.markLive(shopOrders.instanceId(), List.of(new ListenCheck.Listening("127.0.0.1", "127.0.0.1")));
    table.markLive(web.instanceId(), List.of(new ListenCheck.Listening("127.0.0.1", "127.0.0.1")));

    JsonObject s = parsed();

    List<String> order = new ArrayList<>();
    s.getAsJsonArray("instances").forEach(i -> order.add(i.getAsJsonObject().get("instanceId").getAsString()
        + " " + i.getAsJsonObject().get("state").getAsString()));
    // List's order (by service, then as they went live), then the reserved ones by service
    assertThat(order).containsExactly(shopOrders.instanceId() + " live", web.instanceId() + " live",
        socket.instanceId() + " reserved", orders.instanceId() + " reserved");
    assertThat(instance(s, shopOrders.instanceId()).get("namespace").getAsString()).isEqualTo("shop");
    JsonObject unix = instance(s, socket.instanceId()).getAsJsonArray("endpoints").get(0).getAsJsonObject();
    assertThat(unix.get("address").getAsString()).isEqualTo("unix:" + dir.resolve("cache.sock"));
    assertThat(unix.get("listen").getAsString()).isEmpty();
    assertThat(unix.get("exposed").getAsBoolean()).isFalse();
  }

  @Test
  void json_hasTheRecentConflictsOldestFirst() {
    conflicts.add("", "web", "http", 8080, RegistryMetrics.Cause.REQUESTED_TAKEN, 977,
        "python3 -m http.server 8080", "");
    conflicts.add("shop", "orders", "grpc", 61001, RegistryMetrics.Cause.RESERVED, 1234,
        "java \"quoted\" -jar orders.jar", "orders-3");

    JsonArray c = parsed().getAsJsonArray("conflicts");

    assertThat(c).hasSize(2);
    JsonObject first = c.get(0).getAsJsonObject();
    assertThat(first.get("time").getAsString()).isEqualTo("2026-12-02T13:01:00Z");
    assertThat(first.get("service").getAsString()).isEqualTo("web");
    assertThat(first.get("namespace").getAsString()).isEmpty();
    assertThat(first.get("endpoint").getAsString()).isEqualTo("http");
    assertThat(first.get("port").getAsInt()).isEqualTo(8080);
    assertThat(first.get("cause").getAsString()).isEqualTo("requested_taken");
    assertThat(first.get("holderPid").getAsLong()).isEqualTo(977);
    assertThat(first.get("holderCommandLine").getAsString()).isEqualTo("python3 -m http.server 8080");
    assertThat(first.get("holderInstance").getAsString()).isEmpty();
    JsonObject second = c.get(1).getAsJsonObject();
    assertThat(second.get("namespace").getAsString()).isEqualTo("shop");
    assertThat(second.get("cause").getAsString()).isEqualTo("reserved");
    assertThat(second.get("holderCommandLine").getAsString()).isEqualTo("java \"quoted\" -jar orders.jar");
    assertThat(second.get("holderInstance").getAsString()).isEqualTo("orders-3");
  }

  @Test
  void onChange_runsAfterEachKindOfChange_andAFailingListenerBreaksNothing() {
    AtomicInteger changes = new AtomicInteger();
    List<String> seen = new ArrayList<>();
    state.onChange(() -> {
      throw new IllegalStateException("a broken listener");
    });
    state.onChange(() -> {
      changes.incrementAndGet();
      // outside the table's lock: another thread could read the table meanwhile
      assertThat(Thread.holdsLock(table)).isFalse();
      seen.add(state.json());
    });

    LeaseTable.Reservation r = table.reserve(registration("", "orders", Map.of(), tcp("grpc")),
        new ArrayList<>());
    assertThat(changes).as("reserved").hasValue(1);
    int first = r.endpoints().get(0).getPort();

    LeaseTable.Reservation moved = table.reassign(r.instanceId(), 0, Set.of(first), new ArrayList<>());
    assertThat(changes).as("moved after a failed bind").hasValue(2);
    assertThat(seen.get(1)).contains("127.0.0.1:" + moved.endpoints().get(0).getPort());

    table.markLive(r.instanceId(), List.of(new ListenCheck.Listening("127.0.0.1", "127.0.0.1")));
    assertThat(changes).as("live").hasValue(3);
    assertThat(seen.get(2)).contains("\"state\": \"live\"");
    table.markLive(r.instanceId(), List.of(new ListenCheck.Listening("127.0.0.1", "127.0.0.1")));
    assertThat(changes).as("a second ready changes nothing").hasValue(3);

    conflicts.add("", "web", "http", 8080, RegistryMetrics.Cause.IN_USE, 977, "", "");
    assertThat(changes).as("a conflict").hasValue(4);
    assertThat(seen.get(3)).contains("\"cause\": \"in_use\"");

    assertThat(table.remove(r.instanceId())).isNotNull();
    assertThat(changes).as("removed").hasValue(5);
    assertThat(seen.get(4)).contains("\"instances\": []");
    assertThat(table.remove(r.instanceId())).isNull();
    assertThat(changes).as("removing what is gone changes nothing").hasValue(5);
  }
}
