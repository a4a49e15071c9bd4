package dev.berth.cli.internal.stack;

import java.util.ArrayList;
import java.util.List;

/** A {@link StackOutput} that keeps every line, for assertions; prints them too, for a failing test's log. */
final class RecordingOutput implements StackOutput {

  private final List<String> lines = new ArrayList<>();

  @Override
  public synchronized void line(String service, int instance, Stream stream, String text) {
    add(service + "." + instance + " | " + text);
  }

  @Override
  public synchronized void event(String service, int instance, String text) {
    add(service + "." + instance + " * " + text);
  }

  private void add(String line) {
    lines.add(line);
    System.out.println(line);
    notifyAll();
  }

  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /** The lines of {@code service} instance 1 that contain {@code text}. */
  synchronized List<String> matching(String service, String text) {
    return lines.stream().filter(l -> l.startsWith(service + ".1 ") && l.contains(text)).toList();
  }

  /** Waits (bounded) for {@code n} lines of {@code service} containing {@code text}. */
  synchronized List<String> await(String service, String text, int n, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (matching(service, text).size() < n) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        throw new AssertionError("no " + n + " lines of " + service + " with '" + text + "' within "
            + timeoutMillis + " ms; lines:\n" + String.join("\n", lines));
      }
      wait(left);
    }
    return matching(service, text);
  }
}
