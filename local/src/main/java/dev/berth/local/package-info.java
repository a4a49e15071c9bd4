/**
 * What every Berth process on one machine must agree on: the registry, the client library,
 * the CLI and the bench use these rules, so they cannot drift apart.
 *
 * <p>Starting points:
 * <ul>
 *   <li>{@link dev.berth.local.StateDir}: where the state dir is
 *       ({@link dev.berth.local.StateDir#defaultPath()}), whether it may be trusted (owned by
 *       this user, not writable by anyone else; its {@code token} 0600), reading and writing
 *       {@code registry.json} and the {@code token}, and whether a registry holds the dir's
 *       lifetime lock. A refusal is a {@link dev.berth.local.StateDirRefusedException} whose
 *       message is one line naming the path, its owner and mode, and the fix.</li>
 *   <li>{@link dev.berth.local.RegistryLauncher}: the one way to start a registry daemon
 *       (main class, JVM flags, {@code setsid}, {@code registry.log}), the default port, and
 *       how long a starting registry may take.</li>
 *   <li>{@link dev.berth.local.DnsLabel}: the naming rule of services and endpoints, and its words.</li>
 *   <li>{@link dev.berth.local.Namespace}: the namespace rule ({@code ""} or a DNS label, the
 *       word {@code default}) and a process's default ({@code -Dberth.namespace},
 *       {@code $BERTH_NAMESPACE}).</li>
 *   <li>{@link dev.berth.local.ServiceName}: the {@code "service/endpoint"} name form, its one
 *       parser, and the default endpoint {@code main}.</li>
 *   <li>{@link dev.berth.local.UnixSocketPaths}: the longest Unix socket path.</li>
 *   <li>{@link dev.berth.local.PortProbe}: whether a port can be bound on the loopback addresses.</li>
 *   <li>{@link dev.berth.local.DebugAgents}: the debugger agents (JDWP, Node's inspector) a
 *       command line and its environment start, the one parser of their options, and the names
 *       of the {@code debug} endpoint, its metadata and {@code $BERTH_DEBUG_PORT}.</li>
 * </ul>
 */
package dev.berth.local;
