package dev.berth.cli.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines that start another JVM on this one's class path (the berth.jar). */
final class JavaCommand {

  private JavaCommand() {}

  /** {@code java [jvmArgs] -cp <this class path> mainClass}. */
  static List<String> of(List<String> jvmArgs, String mainClass) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    return command;
  }

  static String javaBinary() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    if (Files.isExecutable(java)) {
      return java.toString();
    }
    return ProcessHandle.current().info().command().orElse("java");
  }
}
