/** The POSIX details behind {@code dev.berth.local}: owners, modes, the current user. */
package dev.berth.local.internal;
