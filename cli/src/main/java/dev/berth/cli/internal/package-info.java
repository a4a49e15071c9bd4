/**
 * The subcommands of {@code berth} and what they share. Starting points: {@link
 * dev.berth.cli.internal.CliContext} (global options, finding and asking the registry), {@link
 * dev.berth.cli.internal.RunCommand} (a lease held for a child process), {@link
 * dev.berth.cli.internal.DemoRun} (the demo's story; {@link dev.berth.cli.internal.DemoSandbox} its
 * cleanup), {@link dev.berth.cli.internal.GlobalOptions} (the options every command takes), and {@link
 * dev.berth.cli.internal.ErrorReporter} (one line per error, exit codes 1 and 2).
 */
@Internal
package dev.berth.cli.internal;

import dev.berth.local.Internal;
