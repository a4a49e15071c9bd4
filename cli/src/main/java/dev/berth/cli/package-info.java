/**
 * The {@code berth} command line: {@link dev.berth.cli.BerthCli} is the entry point of the
 * shaded {@code cli/target/berth.jar} that {@code bin/berth} runs. The subcommands live in
 * {@code dev.berth.cli.internal}.
 */
package dev.berth.cli;
