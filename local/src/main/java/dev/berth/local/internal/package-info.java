/**
 * The details behind {@code dev.berth.local}, shared by Berth's modules: owners, modes, the
 * current user, JSON quoting, and the reading of the client call timers that {@code berth top}
 * and the registry's dashboard both show ({@link dev.berth.local.internal.CallEdges}).
 */
@Internal
package dev.berth.local.internal;

import dev.berth.local.Internal;
