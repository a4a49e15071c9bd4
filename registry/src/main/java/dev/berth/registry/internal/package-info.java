/**
 * The registry's implementation; not an API. Start at {@code RegistryServer} (wiring and
 * lifecycle), {@code LeaseStream} (the registry's end of one Attach stream: one lease), {@code LeaseTable}
 * (who holds which port, under one lock), {@code PortChooser} and {@code PortAllocator} (which
 * port next, probed outside that lock), {@code WatchHub} (snapshot fan-out).
 */
@Internal
package dev.berth.registry.internal;

import dev.berth.local.Internal;
