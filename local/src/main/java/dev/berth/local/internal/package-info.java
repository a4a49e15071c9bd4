/** The POSIX details behind {@code dev.berth.local}: owners, modes, the current user. */
@Internal
package dev.berth.local.internal;

import dev.berth.local.Internal;
