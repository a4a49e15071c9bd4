package dev.berth.cli.internal;

import dev.berth.cli.internal.stack.ConsoleOutput;
import dev.berth.cli.internal.stack.StackFile;
import dev.berth.cli.internal.stack.StackOutput;

/**
 * The stack's one log inside {@code berth demo}'s story: every line its processes print and the
 * supervisor's own lines, with {@code berth up}'s prefixes and colours ({@link ConsoleOutput}),
 * under the narrator's indent. Thread-safe: each line goes out whole through the narrator.
 */
final class DemoLog implements StackOutput {

  private final DemoNarrator narrator;
  /** Renders only: its stream is never written, the narrator's is. */
  private final ConsoleOutput console;

  DemoLog(DemoNarrator narrator, StackFile stack) {
    this.narrator = narrator;
    this.console = ConsoleOutput.forStack(stack, System.out, ConsoleOutput.colourWanted());
  }

  @Override
  public void line(String service, int instance, Stream stream, String text) {
    narrator.say(DemoNarrator.INDENT + console.render(service, instance, false, text));
  }

  @Override
  public void event(String service, int instance, String text) {
    narrator.say(DemoNarrator.INDENT + console.render(service, instance, true, text));
  }
}
