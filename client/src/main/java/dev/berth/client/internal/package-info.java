/**
 * The client library's implementation; not an API: public only because the CLI and the bench
 * share it. Start at {@code RegistryConnection} (finding and reaching the registry), {@code
 * AttachSession} (one lease), {@code WatchSubscription} (one watch), {@code BerthNameResolver}
 * (the {@code berth:} scheme).
 */
@Internal
package dev.berth.client.internal;

import dev.berth.local.Internal;
