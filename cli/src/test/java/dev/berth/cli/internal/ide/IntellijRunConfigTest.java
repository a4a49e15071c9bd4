package dev.berth.cli.internal.ide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.internal.DebugRuntime;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

class IntellijRunConfigTest {

  @TempDir
  Path dir;

  private static Element configuration(String xml) throws Exception {
    return (Element) DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
        .getElementsByTagName("configuration").item(0);
  }

  @Test
  void xml_node_isAnAttachToNodeOn127001AtThePort() throws Exception {
    Element c = configuration(IntellijRunConfig.xml("web", DebugRuntime.NODE, 41010));

    assertThat(c.getAttribute("type")).isEqualTo("ChromiumRemoteDebugType");
    assertThat(c.getAttribute("host")).isEqualTo("127.0.0.1");
    assertThat(c.getAttribute("port")).isEqualTo("41010");
    assertThat(c.getAttribute("name")).isEqualTo("web (berth debug)");
  }

  @Test
  void xml_java_isARemoteJvmDebugAttach() throws Exception {
    Element c = configuration(IntellijRunConfig.xml("orders", DebugRuntime.JAVA, 41011));

    assertThat(c.getAttribute("type")).isEqualTo("Remote");
    assertThat(c.getOwnerDocument().getDocumentElement().getAttribute("name"))
        .isEqualTo("ProjectRunConfigurationManager");
    assertThat(option(c, "USE_SOCKET_TRANSPORT")).isEqualTo("true");
    assertThat(option(c, "SERVER_MODE")).as("attach, not listen").isEqualTo("false");
    assertThat(option(c, "HOST")).isEqualTo("127.0.0.1");
    assertThat(option(c, "PORT")).isEqualTo("41011");
    // the port never changes, so the IDE re-attaches by itself after a restart of the service
    assertThat(option(c, "AUTO_RESTART")).isEqualTo("true");
  }

  /** The value of the configuration's own {@code <option name=NAME value=...>}. */
  private static String option(Element configuration, String name) {
    org.w3c.dom.NodeList options = configuration.getChildNodes();
    for (int i = 0; i < options.getLength(); i++) {
      if (options.item(i) instanceof Element e && e.getTagName().equals("option")
          && e.getAttribute("name").equals(name)) {
        return e.getAttribute("value");
      }
    }
    return null;
  }

  @Test
  void write_twice_secondWritesNothing() throws Exception {
    Path file = IntellijRunConfig.path(dir, "orders");
    String xml = IntellijRunConfig.xml("orders", DebugRuntime.JAVA, 41012);

    assertThat(ProjectFile.write(file, xml)).isTrue();
    assertThat(ProjectFile.write(file, xml)).isFalse();
    assertThat(Files.readString(file)).isEqualTo(xml);
    assertThat(file).hasFileName("orders-debug.run.xml").hasParent(dir.resolve(".run"));
  }
}
