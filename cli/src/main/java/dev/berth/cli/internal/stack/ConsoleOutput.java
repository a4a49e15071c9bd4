package dev.berth.cli.internal.stack;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stack's output on a terminal: each line after its service's name (and {@code .N} when the
 * service runs more than one instance), padded to the longest name of the stack, and {@code | },
 * the name in a colour of its own, the supervisor's own lines in bold.
 *
 * <pre>{@code
 * catalog   | listening on 127.0.0.1:61000
 * orders.1  | started
 * orders.2  | started
 * gateway   | live on 127.0.0.1:61002
 * }</pre>
 *
 * <p>Colour only where a person reads it: {@link #colourWanted} says no when stdout is not a
 * terminal or {@code NO_COLOR} is set, as <a href="https://no-color.org">no-color.org</a> asks.
 * {@code berth logs} prints its records through {@link #render} with the same prefixes.
 *
 * <p>Thread-safe: each line is built whole, then written and flushed under one lock, so lines of
 * processes printing at the same moment never interleave.
 */
public final class ConsoleOutput implements StackOutput {

  /** Foreground colours that read on dark and light terminals alike; red is left for errors. */
  static final String[] PALETTE = {
    "\u001b[36m", // cyan
    "\u001b[33m", // yellow
    "\u001b[32m", // green
    "\u001b[35m", // magenta
    "\u001b[34m", // blue
    "\u001b[96m", // bright cyan
    "\u001b[93m", // bright yellow
    "\u001b[92m", // bright green
    "\u001b[95m", // bright magenta
    "\u001b[94m", // bright blue
  };
  static final String BOLD = "\u001b[1m";
  static final String RESET = "\u001b[0m";
  private static final String SEPARATOR = "| ";

  private final PrintStream out;
  private final boolean colour;
  /** Service → how many instances it runs, in the stack file's order (which gives the colours). */
  private final Map<String, Integer> instances;
  private final Map<String, String> colours = new LinkedHashMap<>();
  private final int width;

  private ConsoleOutput(PrintStream out, Map<String, Integer> instances, boolean colour) {
    this.out = out;
    this.colour = colour;
    this.instances = new LinkedHashMap<>(instances);
    int i = 0;
    int widest = 0;
    for (Map.Entry<String, Integer> service : this.instances.entrySet()) {
      colours.put(service.getKey(), PALETTE[i++ % PALETTE.length]);
      int count = service.getValue();
      widest = Math.max(widest, (count > 1 ? service.getKey() + "." + count : service.getKey()).length());
    }
    this.width = widest;
  }

  /**
   * Output for {@code instances} (service name → instance count, in the stack's order) on
   * {@code out}, coloured or not.
   */
  public static ConsoleOutput of(PrintStream out, Map<String, Integer> instances, boolean colour) {
    return new ConsoleOutput(out, instances, colour);
  }

  /** Output for the services of {@code stack} on {@code out}, coloured or not. */
  public static ConsoleOutput forStack(StackFile stack, PrintStream out, boolean colour) {
    Map<String, Integer> instances = new LinkedHashMap<>();
    stack.services().forEach(s -> instances.put(s.name(), s.instances()));
    return new ConsoleOutput(out, instances, colour);
  }

  /**
   * Whether to colour this process's stdout: never with {@code NO_COLOR} set (non-empty), always
   * with {@code FORCE_COLOR} set (non-empty, not {@code 0}), else when stdout is a terminal.
   *
   * @param terminal {@code System.console() != null}
   */
  public static boolean colourWanted(Map<String, String> env, boolean terminal) {
    if (!env.getOrDefault("NO_COLOR", "").isEmpty()) {
      return false;
    }
    String force = env.getOrDefault("FORCE_COLOR", "");
    if (!force.isEmpty() && !force.equals("0")) {
      return true;
    }
    return terminal;
  }

  /** {@link #colourWanted} for this JVM's environment and stdout. */
  public static boolean colourWanted() {
    return colourWanted(System.getenv(), System.console() != null);
  }

  @Override
  public void line(String service, int instance, Stream stream, String text) {
    write(render(service, instance, false, text));
  }

  @Override
  public void event(String service, int instance, String text) {
    write(render(service, instance, true, text));
  }

  /**
   * One line as this output prints it, without the line terminator: the padded, coloured prefix
   * and {@code text}; bold when it is the supervisor's own ({@code event}). The prefix is
   * {@code orders.2} only for a service of several instances, and {@code orders} for an event
   * about all of them (instance 0); a service the stack does not have (the supervisor's own
   * {@code berth} lines) is printed in bold, unpadded if longer than the rest.
   */
  public String render(String service, int instance, boolean event, String text) {
    String label = instances.getOrDefault(service, 1) > 1 && instance > 0 ? service + "." + instance
        : service;
    StringBuilder line = new StringBuilder(width + 3 + text.length() + 16);
    if (colour) {
      line.append(colours.getOrDefault(service, BOLD));
    }
    line.append(label);
    for (int pad = label.length(); pad < width; pad++) {
      line.append(' ');
    }
    line.append(' ').append(SEPARATOR);
    if (colour) {
      line.append(RESET);
      if (event) {
        line.append(BOLD);
      }
    }
    line.append(text);
    if (colour) {
      line.append(RESET); // a child's own unclosed colour stops at its line
    }
    return line.toString();
  }

  private void write(String line) {
    byte[] bytes = (line + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
    synchronized (out) {
      out.write(bytes, 0, bytes.length);
      out.flush();
    }
  }
}
