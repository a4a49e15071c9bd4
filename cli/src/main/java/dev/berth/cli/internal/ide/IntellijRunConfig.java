package dev.berth.cli.internal.ide;

import dev.berth.cli.internal.DebugRuntime;
import java.nio.file.Path;

/**
 * An IntelliJ run configuration that attaches to a service's debug port, as a file under the
 * project's {@code .run/} directory (IntelliJ reads run configurations stored there as project
 * files, shared through version control if the user wants): a "Remote JVM Debug" configuration
 * (type {@code Remote}, socket transport, attach mode) for a JVM, IntelliJ's attach-to-Node.js
 * configuration ({@code ChromiumRemoteDebugType}, reconnecting when the program restarts) for
 * Node. The host is always 127.0.0.1: the agent Berth starts listens there only.
 *
 * <pre>{@code
 * ProjectFile.write(IntellijRunConfig.path(project, "orders"), IntellijRunConfig.xml("orders", DebugRuntime.JAVA, 61234));
 * }</pre>
 *
 * <p>Stateless.
 */
public final class IntellijRunConfig {

  private IntellijRunConfig() {}

  /** {@code PROJECT/.run/NAME-debug.run.xml}. */
  public static Path path(Path project, String service) {
    return project.resolve(".run").resolve(service + "-debug.run.xml");
  }

  /** The configuration's name in IntelliJ's list: {@code NAME (berth debug)}. */
  public static String name(String service) {
    return service + " (berth debug)";
  }

  /**
   * The file's text. {@code service} is a DNS label, so it needs no XML escaping.
   */
  public static String xml(String service, DebugRuntime runtime, int port) {
    String configuration;
    if (runtime == DebugRuntime.NODE) {
      configuration = "  <configuration default=\"false\" name=\"" + name(service)
          + "\" type=\"ChromiumRemoteDebugType\" factoryName=\"Chromium Remote\" host=\"127.0.0.1\" port=\""
          + port + "\" restartOnDisconnect=\"true\">\n"
          + "    <method v=\"2\" />\n"
          + "  </configuration>\n";
    } else {
      configuration = "  <configuration default=\"false\" name=\"" + name(service)
          + "\" type=\"Remote\" factoryName=\"Remote\">\n"
          + "    <option name=\"USE_SOCKET_TRANSPORT\" value=\"true\" />\n"
          + "    <option name=\"SERVER_MODE\" value=\"false\" />\n"
          + "    <option name=\"SHMEM_ADDRESS\" />\n"
          + "    <option name=\"HOST\" value=\"127.0.0.1\" />\n"
          + "    <option name=\"PORT\" value=\"" + port + "\" />\n"
          // the port never changes: the IDE re-attaches by itself when the service restarts
          + "    <option name=\"AUTO_RESTART\" value=\"true\" />\n"
          + "    <RunnerSettings RunnerId=\"Debug\">\n"
          + "      <option name=\"DEBUG_PORT\" value=\"" + port + "\" />\n"
          + "      <option name=\"LOCAL\" value=\"false\" />\n"
          + "    </RunnerSettings>\n"
          + "    <method v=\"2\" />\n"
          + "  </configuration>\n";
    }
    // no "--" in an XML comment: the flag is not named here
    return "<!-- written by berth debug " + service + ": the port is " + service
        + "'s sticky debug port, the same every run -->\n"
        + "<component name=\"ProjectRunConfigurationManager\">\n"
        + configuration
        + "</component>\n";
  }
}
