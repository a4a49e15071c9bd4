package dev.berth.cli;

/** A JVM that does nothing for a minute: a child to attach a debug agent to. */
public final class Sleeper {
  private Sleeper() {}

  public static void main(String[] args) throws InterruptedException {
    Thread.sleep(60_000);
  }
}
