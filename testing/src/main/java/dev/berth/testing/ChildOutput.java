package dev.berth.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The output lines of a child process (started with {@code redirectErrorStream(true)}), read on
 * a daemon thread of their own, so that a test can wait, bounded, for the next line with a
 * prefix. Used from one test thread at a time.
 *
 * <pre>{@code
 * ChildOutput out = ChildOutput.of(process, "orders-child");
 * int port = Integer.parseInt(out.next("listening on ", Duration.ofSeconds(20)));
 * }</pre>
 */
public final class ChildOutput {

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>(); // confined to the test thread

  private ChildOutput(Process process) {
    this.process = process;
  }

  /** Starts reading {@code process}'s standard output on a daemon thread named {@code name-PID}. */
  public static ChildOutput of(Process process, String name) {
    ChildOutput output = new ChildOutput(process);
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          output.lines.add(line);
        }
      } catch (IOException e) {
        // the process died; waiters time out with what was seen
      }
    }, name + "-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    return output;
  }

  /**
   * Waits for the next line starting with {@code prefix} (lines taken before are not looked at
   * again) and returns the rest of it, trimmed.
   *
   * @throws AssertionError none within {@code timeout}, with everything the child printed
   */
  public String next(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        throw new AssertionError("no line '" + prefix + "...' from child within " + timeout
            + " (alive: " + process.isAlive() + "); output: " + seen);
      }
      seen.add(line);
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length()).trim();
      }
    }
  }

  /** Whether a line taken so far (by {@link #next}) starts with {@code prefix}. */
  public boolean took(String prefix) {
    return seen.stream().anyMatch(line -> line.startsWith(prefix));
  }

  /** The lines taken so far, for a failure message. */
  public List<String> taken() {
    return List.copyOf(seen);
  }
}
