package dev.berth.spring.boot.apps;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * A test child's entry point: {@code DiesWithParent <parent pid> <main class> [args]} runs the
 * main class, and halts this JVM when the parent (the test JVM) is gone, however it ended, so
 * no child outlives a killed or crashed surefire run. The watch runs on a daemon thread.
 */
public final class DiesWithParent {
  private DiesWithParent() {}

  public static void main(String[] args) throws Exception {
    long parent = Long.parseLong(args[0]);
    ProcessHandle.of(parent).ifPresentOrElse(
        handle -> handle.onExit().thenRun(() -> Runtime.getRuntime().halt(137)),
        () -> Runtime.getRuntime().halt(137));
    Method main = Class.forName(args[1]).getMethod("main", String[].class);
    main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
  }
}
