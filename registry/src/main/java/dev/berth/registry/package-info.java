/**
 * The Berth registry daemon: {@link dev.berth.registry.BerthRegistry} to run one inside a
 * program (tests, the CLI), {@link dev.berth.registry.RegistryDaemon} to run a configured one as
 * a foreground daemon (signals, exit codes), and {@link dev.berth.registry.Main}, its command
 * line without the CLI.
 *
 * <pre>{@code
 * try (BerthRegistry registry = BerthRegistry.builder()
 *     .stateDir(Files.createTempDirectory("berth"))
 *     .port(0)                       // ephemeral; the default is 62893
 *     .ports(61000, 61099)           // the berths it hands out
 *     .build()
 *     .start()) {
 *   // clients read registry.json and token in registry.stateDir()
 *   registry.awaitTermination();
 * }
 * }</pre>
 *
 * <p>The wire contract is {@code berth/v1/registry.proto}; everything under
 * {@code dev.berth.registry.internal} is an implementation detail.
 */
package dev.berth.registry;
