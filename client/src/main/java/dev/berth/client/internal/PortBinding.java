package dev.berth.client.internal;

import dev.berth.client.Address;
import dev.berth.client.PortBinder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Binds the ports a lease was assigned: each endpoint's binder gets its address; a bind that
 * fails because the port is taken is reported as {@code bind_failed}, counted as
 * {@code berth.port.conflicts{side=client,cause=bind_failed}}, and retried on the new port
 * the registry assigns, at most {@link #MAX_ATTEMPTS} times per endpoint. When every port is
 * bound, {@code ready} makes the instance visible.
 *
 * <p>Stateless; runs on the caller's thread.
 */
public final class PortBinding {
  /** Binds tried per endpoint before giving up. */
  public static final int MAX_ATTEMPTS = 8;

  private static final Logger logger = Logger.getLogger(PortBinding.class.getName());

  private PortBinding() {}

  /**
   * Binds every endpoint of {@code session} with its binder (in the map's order), then
   * sends ready. Returns what the binders returned, in the same order. On failure, closes
   * what was bound and the session, and throws.
   */
  public static List<AutoCloseable> bindAll(
      LeaseHandshake session, Map<String, PortBinder> binders, MeterRegistry meters) throws IOException {
    Counter conflicts = Counter.builder("berth.port.conflicts")
        .description("Ports that could not be bound because someone else held them")
        .tag("service", session.service())
        .tag("side", "client")
        .tag("cause", "bind_failed")
        .register(meters);
    List<AutoCloseable> bound = new ArrayList<>();
    try {
      for (Map.Entry<String, PortBinder> e : binders.entrySet()) {
        bound.add(bindOne(session, e.getKey(), e.getValue(), conflicts));
      }
      session.ready();
      return bound;
    } catch (IOException | RuntimeException | Error e) {
      session.close();
      closeAll(bound, e);
      throw e;
    }
  }

  private static AutoCloseable bindOne(
      LeaseHandshake session, String endpoint, PortBinder binder, Counter conflicts) throws IOException {
    Address address = session.addresses().get(endpoint);
    for (int attempt = 1; ; attempt++) {
      try {
        AutoCloseable resource = binder.bind(address);
        return resource != null ? resource : () -> { };
      } catch (IOException e) {
        // a Unix socket path is the program's own choice: the registry has no other to give
        if (address.isUnix() || !isPortTaken(e) || attempt == MAX_ATTEMPTS) {
          throw e;
        }
        conflicts.increment();
        logger.log(Level.INFO, "berth: {0} for {1}/{2} is taken ({3}); asking for another port",
            new Object[] {address, session.service(), endpoint, e.getMessage()});
        session.bindFailed(endpoint, String.valueOf(rootMessage(e)));
        address = session.addresses().get(endpoint);
      }
    }
  }

  /** True if {@code e} says the address is in use (java.net or Netty's native transport). */
  public static boolean isPortTaken(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
      String message = t.getMessage();
      if (message != null && message.contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }

  /** Closes {@code resources} in reverse order; failures are added to {@code failure} (may be null). */
  public static void closeAll(List<? extends AutoCloseable> resources, Throwable failure) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        if (failure != null) {
          failure.addSuppressed(e);
        } else {
          logger.log(Level.WARNING, "berth: closing " + resources.get(i) + " failed", e);
        }
      }
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }
}
