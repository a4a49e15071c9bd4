package dev.berth.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.client.Address;
import dev.berth.registry.BerthRegistry;
import dev.berth.testing.TestPools;
import io.grpc.Status;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client dials only an address that registry.json (or an explicit setting) names: without
 * the file it waits for it, saying so once, and whatever holds the preferred port (a
 * debugger, another state dir's registry) never hears from it.
 */
class NoRegistryJsonTest {

  @TempDir Path home;

  private ServerSocket squatter;
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final Logger logger = Logger.getLogger(RegistryConnection.class.getName());
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord r) {
      logged.add(r.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void squat() throws IOException {
    squatter = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (true) {
        try (Socket s = squatter.accept()) {
          accepted.incrementAndGet();
        } catch (IOException e) {
          return; // closed
        }
      }
    }, "squatter");
    t.setDaemon(true);
    t.start();
    logger.addHandler(handler);
  }

  @AfterEach
  void unsquat() throws IOException {
    logger.removeHandler(handler);
    squatter.close();
  }

  @Test
  void watch_withARegistryJsonLeftByAKilledRegistry_dialsNothing() throws Exception {
    // what a registry killed with -9 leaves: registry.json naming a port someone else holds
    // now, and no process holding the state dir's lifetime lock
    Files.writeString(home.resolve("registry.json"), "{\"address\": \"127.0.0.1:"
        + squatter.getLocalPort() + "\", \"pid\": \"" + ProcessHandle.current().pid() + "\"}");
    AtomicInteger failures = new AtomicInteger();
    try (RegistryConnection connection = new RegistryConnection(RegistryLocator.of(home, null), null);
        WatchSubscription watch = WatchSubscription.start(connection, "orders", "main",
            new Discovery.Listener() {
              @Override
              public void onAddresses(List<Address> addresses) {}

              @Override
              public void onError(Status status) {
                failures.incrementAndGet();
              }
            })) {
      Thread.sleep(1500); // a bounded interval in which a client believing the file dials it
      assertThat(failures.get()).as("the watch tried").isPositive();
      assertThat(connection.hasChannel()).as("a channel to a dead registry's address").isFalse();
    }
    assertThat(accepted).as("connections to the port the stale registry.json names").hasValue(0);
  }

  @Test
  void watch_withoutRegistryJson_dialsNothingAndSaysOnceItWaits_thenConnectsWhenTheFileAppears()
      throws Exception {
    CountDownLatch answered = new CountDownLatch(1);
    AtomicInteger failures = new AtomicInteger();
    try (RegistryConnection connection = new RegistryConnection(RegistryLocator.of(home, null), null);
        WatchSubscription watch = WatchSubscription.start(connection, "orders", "main",
            new Discovery.Listener() {
              @Override
              public void onAddresses(List<Address> addresses) {
                answered.countDown();
              }

              @Override
              public void onError(Status status) {
                failures.incrementAndGet();
              }
            })) {
      // a bounded interval in which the old client dialled the default port ~20 times a second
      assertThat(answered.await(2500, TimeUnit.MILLISECONDS)).isFalse();
      // nothing names an address, so nothing at all is dialled (the old client built a channel
      // to the default port here)
      assertThat(connection.hasChannel()).as("a channel without registry.json").isFalse();
      assertThat(failures.get()).as("the watch tried").isPositive();
      assertThat(logged).filteredOn(m -> m.contains("waiting")).singleElement()
          .satisfies(m -> assertThat(m).contains(home.toString(), "registry.json"));

      int port = TestPools.port();
      try (BerthRegistry registry = BerthRegistry.builder().stateDir(home).port(0).ports(port, port)
          .metricsEndpoint(false).build().start()) {
        assertThat(Files.exists(home.resolve("registry.json"))).isTrue();
        assertThat(answered.await(20, TimeUnit.SECONDS)).as("connects once registry.json appears").isTrue();
      }
    }
  }

}
