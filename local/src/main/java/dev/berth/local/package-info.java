/**
 * What every Berth process on one machine agrees on about the state dir: the registry, the
 * client library and the CLI use these rules, so they cannot drift apart.
 *
 * <p>Start with {@link dev.berth.local.StateDir}: where the state dir is
 * ({@link dev.berth.local.StateDir#defaultPath()}), whether it may be trusted (owned by this
 * user, not writable by anyone else; its {@code token} 0600), and what it says about the
 * registry ({@code registry.json}, the lifetime lock). A refusal is a
 * {@link dev.berth.local.StateDirRefusedException} whose message is one line naming the path,
 * its owner and mode, and the fix.
 */
package dev.berth.local;
