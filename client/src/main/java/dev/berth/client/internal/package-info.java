/**
 * The client library's implementation; not an API: public only because the CLI and the bench
 * share it. Start at {@code RegistryConnection} (finding and reaching the registry), {@code
 * LeaseHandshake} (one lease; {@code Reattacher} brings it back), {@code WatchSubscription} (one watch), {@code BerthNameResolver}
 * (the {@code berth:} scheme).
 */
@Internal
package dev.berth.client.internal;

import dev.berth.local.Internal;
