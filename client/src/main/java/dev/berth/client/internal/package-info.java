/**
 * The client library's implementation; not an API: public only because the CLI and the bench
 * share it. Start at {@code RegistryConnection} (finding and reaching the registry), {@code
 * LeaseHandshake} (one lease; {@code Reattacher} brings it back after the stream ends), {@code
 * Discovery} (where addresses come from: the seam in front of {@code RegistryDiscovery} and its
 * {@code WatchSubscription}), {@code BerthNameResolver} (the {@code berth:} scheme, a consumer
 * of {@code Discovery}).
 */
@Internal
package dev.berth.client.internal;

import dev.berth.local.Internal;
