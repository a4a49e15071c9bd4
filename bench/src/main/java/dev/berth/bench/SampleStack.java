package dev.berth.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The three Java samples of {@code sample-services/berth.yaml} as that file starts them: the same
 * command line, in the same directory, in dependency order. The bench's baseline starts them
 * with these commands and no supervisor; {@code SampleStackTest} keeps them equal to the file's.
 */
final class SampleStack {
  /** Dependency order: orders depends on catalog, gateway on orders. */
  static final List<String> SERVICES = List.of("catalog", "orders", "gateway");
  /** The flags berth.yaml (and {@code berth demo}) give the samples: quick start, little memory. */
  static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xmx128m");

  private SampleStack() {}

  /** The endpoint whose lease says the service is live: gateway serves {@code http}, the others {@code main}. */
  static String endpoint(String service) {
    return service.equals("gateway") ? "http" : "main";
  }

  /** The command, run in {@code sample-services/}. */
  static List<String> command(String service) {
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(JVM_FLAGS);
    command.addAll(List.of("-cp", "../cli/target/berth.jar", "dev.berth.samples." + service + "."
        + Character.toUpperCase(service.charAt(0)) + service.substring(1) + "Main"));
    return command;
  }
}
