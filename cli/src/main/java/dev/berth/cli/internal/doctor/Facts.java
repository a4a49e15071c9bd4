package dev.berth.cli.internal.doctor;

import dev.berth.registry.internal.PortPool;
import java.util.List;
import java.util.Optional;

/**
 * Everything the checks look at, gathered once by {@link Doctor} so that every check sees the
 * same moment and the pure ones can be tested on hand-made facts. Immutable.
 *
 * @param procAvailable whether the socket table could be read ({@code /proc}); when false,
 *     {@code listeners} is empty and the checks that need it say so in one note
 * @param listeners every LISTEN socket of the machine, with its holder where it could be read
 * @param uid the current user's uid (-1 when unknown)
 * @param localhost what {@code localhost} resolves to, in getaddrinfo's order
 * @param localhostSource where that order came from ({@code getent ahosts localhost}, {@code /etc/hosts})
 * @param ephemeral the kernel's ephemeral port range, if it could be read
 * @param registry the state dir and its registry
 */
record Facts(
    boolean procAvailable,
    List<Listening> listeners,
    int uid,
    List<String> localhost,
    String localhostSource,
    Optional<PortPool> ephemeral,
    RegistryFacts registry) {

  /** The listeners on {@code port}. */
  List<Listening> on(int port) {
    return listeners.stream().filter(l -> l.port() == port).toList();
  }

  /** A listener of Berth's own: the registry's sockets, or a live instance's port. */
  boolean ownedByBerth(Listening l) {
    long registry = this.registry.registryPid();
    return (registry != 0 && l.pid() == registry) || this.registry.instanceOn(l.port()).isPresent();
  }

  boolean mine(Listening l) {
    return uid >= 0 && l.uid() == uid;
  }
}
