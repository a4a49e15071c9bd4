package dev.berth.cli.internal;

import dev.berth.local.RegistryLauncher;
import java.util.ArrayList;
import java.util.List;

/** Command lines that start another JVM on this one's class path (the berth.jar). */
final class JavaCommand {

  private JavaCommand() {}

  /** {@code java [jvmArgs] -cp <this class path> mainClass}. */
  static List<String> of(List<String> jvmArgs, String mainClass) {
    List<String> command = new ArrayList<>();
    command.add(RegistryLauncher.javaBinary());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    return command;
  }
}
