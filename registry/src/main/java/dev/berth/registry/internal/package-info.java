/**
 * The registry's implementation; not an API. Start at {@code RegistryServer} (wiring and
 * lifecycle), {@code AttachSession} (one lease), {@code LeaseTable} (who holds which port, under
 * one lock), {@code PortAllocator} (which port next), {@code WatchHub} (snapshot fan-out).
 */
@Internal
package dev.berth.registry.internal;

import dev.berth.local.Internal;
