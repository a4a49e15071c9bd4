package dev.berth.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.proto.v1.RegistryInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** registry.json's addresses read without protobuf: what the registry writes, and older files. */
class RegistryAddressesTest {

  @TempDir
  Path temp;

  @Test
  void readRegistryAddresses_ofWhatTheRegistryWrites_givesBothAddresses() throws IOException {
    StateDir dir = StateDir.of(temp.resolve("berth")).prepare();
    RegistryInfo info = RegistryInfo.newBuilder().setAddress("127.0.0.1:40001").setPid(42)
        .setHttpAddress("127.0.0.1:40002").build();

    dir.writeRegistryInfo(info, Clock.systemUTC());

    RegistryAddresses read = dir.readRegistryAddresses().orElseThrow();
    assertThat(read.grpc()).isEqualTo("127.0.0.1:40001");
    assertThat(read.http()).contains(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40002));
    assertThat(dir.readRegistryInfo()).contains(info);
  }

  @Test
  void readRegistryAddresses_ofAnOlderFile_hasNoHttpSide_andTheFullReaderStillReadsIt() throws IOException {
    StateDir dir = StateDir.of(temp.resolve("berth")).prepare();
    // as a registry from before the query view wrote it
    Files.writeString(dir.file(StateDir.REGISTRY_JSON),
        "{\n  \"address\": \"127.0.0.1:40001\",\n  \"pid\": \"42\",\n  \"started\": \"2026-12-01T19:58:04Z\"\n}");

    assertThat(dir.readRegistryAddresses().orElseThrow().http()).isEmpty();
    assertThat(dir.readRegistryInfo().orElseThrow().getAddress()).isEqualTo("127.0.0.1:40001");
  }

  @Test
  void readRegistryAddresses_offLoopbackOrMissing_isNoHttpSide_orNone() throws IOException {
    StateDir dir = StateDir.of(temp.resolve("berth")).prepare();
    assertThat(dir.readRegistryAddresses()).isEmpty();

    Files.writeString(dir.file(StateDir.REGISTRY_JSON),
        "{\"address\": \"127.0.0.1:40001\", \"httpAddress\": \"10.0.0.7:40002\"}");
    assertThat(dir.readRegistryAddresses().orElseThrow().http()).isEmpty();

    Files.writeString(dir.file(StateDir.REGISTRY_JSON), "{\"pid\": \"42\"}");
    assertThatThrownBy(dir::readRegistryAddresses).hasMessageContaining("names no address");
  }
}
