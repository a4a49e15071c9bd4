package dev.berth.bench;

/** The floor of {@link CliFigures}: a JVM that starts, runs nothing and exits. */
public final class EmptyMain {
  private EmptyMain() {}

  public static void main(String[] args) {}
}
