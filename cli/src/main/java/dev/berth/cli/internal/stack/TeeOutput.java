package dev.berth.cli.internal.stack;

import java.util.List;

/**
 * Every line to several outputs, in order: the console and the log files of a foreground
 * {@code berth up}.
 *
 * <pre>{@code
 * StackOutput out = TeeOutput.of(ConsoleOutput.forStack(stack, System.out, colour), logFiles);
 * }</pre>
 *
 * <p>Thread-safe when its outputs are; one that throws does not keep a line from the others.
 */
public final class TeeOutput implements StackOutput {

  private final List<StackOutput> outputs;

  private TeeOutput(List<StackOutput> outputs) {
    this.outputs = outputs;
  }

  public static TeeOutput of(StackOutput... outputs) {
    return new TeeOutput(List.of(outputs));
  }

  @Override
  public void line(String service, int instance, Stream stream, String text) {
    RuntimeException first = null;
    for (StackOutput out : outputs) {
      try {
        out.line(service, instance, stream, text);
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public void event(String service, int instance, String text) {
    RuntimeException first = null;
    for (StackOutput out : outputs) {
      try {
        out.event(service, instance, text);
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
