package dev.berth.cli.internal;

import dev.berth.proto.v1.RegistryInfo;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * What a child that {@code berth run} or {@code berth up} starts finds in its environment, and
 * the one line said when it cannot be started. Stateless.
 */
public final class ChildEnv {

  private ChildEnv() {}

  /**
   * {@code PORT} ({@code firstEndpoint}'s port) and {@code BERTH_PORT_<ENDPOINT>} for each of
   * {@code ports}: what a program that binds a port it is given reads.
   */
  public static void ports(Map<String, String> env, String firstEndpoint, Map<String, Integer> ports) {
    env.put("PORT", Integer.toString(ports.get(firstEndpoint)));
    ports.forEach((endpoint, port) -> env.put(portVariable(endpoint), Integer.toString(port)));
  }

  /** {@code BERTH_PORT_HTTP_ADMIN} for endpoint {@code http-admin}. */
  public static String portVariable(String endpoint) {
    return "BERTH_PORT_" + endpoint.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** {@code BERTH_SERVICE}, {@code BERTH_HOME} and, where it is known, {@code BERTH_REGISTRY}. */
  public static void berth(Map<String, String> env, CliContext ctx, String service) {
    env.put("BERTH_SERVICE", service);
    env.put("BERTH_HOME", ctx.home().toString());
    ctx.registryOverride()
        .or(() -> ctx.registryFile().map(RegistryInfo::getAddress))
        .ifPresent(address -> env.put("BERTH_REGISTRY", address));
  }

  /** Starts {@code builder}, or fails with exit code 127 and one line naming the program and why. */
  public static Process start(ProcessBuilder builder) {
    try {
      return builder.start();
    } catch (IOException e) {
      throw CliException.withExitCode(127, "cannot run '" + builder.command().get(0) + "': "
          + whyNotRun(e), e);
    }
  }

  /** ProcessBuilder's "Cannot run program "x": error=2, No such file or directory", said once. */
  static String whyNotRun(IOException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("error=2,")) {
      return "no such file, and no such program on $PATH";
    }
    if (message.contains("error=13,")) {
      return "permission denied (is it executable?)";
    }
    int reason = message.lastIndexOf(", ");
    return reason >= 0 && message.contains("error=") ? message.substring(reason + 2) : message;
  }
}
