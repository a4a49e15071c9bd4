package dev.berth.client;

import dev.berth.local.Internal;
import dev.berth.proto.v1.RegistryGrpc;

/**
 * Access to a {@link Berth}'s registry API for Berth's own tools (the CLI's {@code ls},
 * {@code who}, {@code top}; the bench): not part of the client API, which hands out no
 * generated type. Stateless.
 */
@Internal
public final class InternalBerth {
  private InternalBerth() {}

  /** A stub for the registry's own API (list, who-has, ...) over {@code berth}'s connection, with the token attached. */
  public static RegistryGrpc.RegistryBlockingStub registryStub(Berth berth) {
    return berth.registryStub();
  }
}
