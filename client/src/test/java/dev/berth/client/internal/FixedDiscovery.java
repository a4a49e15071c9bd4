package dev.berth.client.internal;

import dev.berth.client.Address;
import dev.berth.client.BerthException;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Discovery} whose lists the test sets, as Armeria's
 * {@code DynamicEndpointGroup.setEndpoints} does: the second backend behind the seam, so that
 * the {@code berth:} resolver and the watch are tested without a registry. A name nobody set
 * is unknown: a watch of it hears nothing until {@link #set} or {@link #fail}.
 *
 * <p>Thread-safe: state is guarded by {@code this}; listeners are called after it is released,
 * in order and one at a time, on the thread that set the list (or started the watch).
 */
final class FixedDiscovery implements Discovery {
  /** What listeners threw (a listener should not throw). */
  final List<Throwable> thrown = new CopyOnWriteArrayList<>();

  private final SynchronizationContext delivery = new SynchronizationContext((t, e) -> thrown.add(e));
  private final Map<BerthTarget, List<Address>> lists = new HashMap<>();
  private final Map<BerthTarget, Status> errors = new HashMap<>();
  private final Map<BerthTarget, List<Registration>> watches = new HashMap<>();

  /** {@code name} has {@code addresses} from now on; its watchers hear them. */
  void set(BerthTarget name, Address... addresses) {
    List<Address> list = List.of(addresses);
    synchronized (this) {
      errors.remove(name);
      lists.put(name, list);
      for (Registration r : watches.getOrDefault(name, List.of())) {
        delivery.executeLater(() -> r.addresses(list));
      }
    }
    delivery.drain();
  }

  /** {@code name} cannot be looked up now: {@link #resolve} throws, watchers hear {@code status}. */
  void fail(BerthTarget name, Status status) {
    synchronized (this) {
      lists.remove(name);
      errors.put(name, status);
      for (Registration r : watches.getOrDefault(name, List.of())) {
        delivery.executeLater(() -> r.error(status));
      }
    }
    delivery.drain();
  }

  /** How many watches of {@code name} are open. */
  synchronized int watchers(BerthTarget name) {
    return watches.getOrDefault(name, List.of()).size();
  }

  @Override
  public synchronized List<Address> resolve(BerthTarget name) {
    Status error = errors.get(name);
    if (error != null) {
      throw new BerthException(error);
    }
    return lists.getOrDefault(name, List.of());
  }

  @Override
  public Watch watch(BerthTarget name, Listener listener) {
    Registration registration = new Registration(name, listener);
    synchronized (this) {
      watches.computeIfAbsent(name, n -> new ArrayList<>()).add(registration);
      List<Address> list = lists.get(name);
      Status error = errors.get(name);
      if (list != null) {
        delivery.executeLater(() -> registration.addresses(list));
      } else if (error != null) {
        delivery.executeLater(() -> registration.error(error));
      }
    }
    delivery.drain();
    return registration;
  }

  private final class Registration implements Watch {
    private final BerthTarget name;
    private final Listener listener;
    private volatile boolean closed;

    Registration(BerthTarget name, Listener listener) {
      this.name = name;
      this.listener = listener;
    }

    void addresses(List<Address> list) {
      if (!closed) {
        listener.onAddresses(list);
      }
    }

    void error(Status status) {
      if (!closed) {
        listener.onError(status);
      }
    }

    @Override
    public void close() {
      synchronized (FixedDiscovery.this) {
        closed = true;
        List<Registration> open = watches.get(name);
        if (open != null) {
          open.remove(this);
        }
      }
    }
  }
}
