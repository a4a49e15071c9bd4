package dev.berth.client;

import dev.berth.local.Internal;

/**
 * The protocol steps of a {@link Lease} that only Berth's own tools take: {@code berth run},
 * which binds nothing itself and learns of a conflict from {@code /proc}, and the bench. Not
 * part of the client API. Stateless.
 */
@Internal
public final class InternalLeases {
  private InternalLeases() {}

  /**
   * Reports that {@code endpoint}'s port could not be bound ({@code error}: what the bind
   * said); the registry counts the conflict and assigns another port, which is returned.
   */
  public static int bindFailed(Lease lease, String endpoint, String error) {
    return lease.bindFailed(endpoint, error);
  }

  /** True while resolvers see the instance (false before {@code ready} and while re-attaching). */
  public static boolean isLive(Lease lease) {
    return lease.isLive();
  }

  /** The instance id the registry gave; a new one after a registry restart. */
  public static String instanceId(Lease lease) {
    return lease.instanceId();
  }
}
