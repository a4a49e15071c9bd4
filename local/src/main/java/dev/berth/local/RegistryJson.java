package dev.berth.local;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.berth.local.internal.AtomicFile;
import dev.berth.local.internal.UnreadableFiles;
import dev.berth.proto.v1.RegistryInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code registry.json} of a state dir: read by every Berth process, written and removed by
 * the registry. Behind {@link StateDir#readRegistryInfo}, {@link StateDir#writeRegistryInfo}
 * and {@link StateDir#removeRegistryInfo}. Thread-safe (stateless apart from the path).
 */
final class RegistryJson {

  private final Path file;

  RegistryJson(StateDir dir) {
    this.file = dir.file(StateDir.REGISTRY_JSON);
  }

  Optional<RegistryInfo> read() throws IOException {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new IOException("cannot read " + file + ": " + e, e);
    }
    if (json.isBlank()) {
      return Optional.empty();
    }
    RegistryInfo.Builder info = RegistryInfo.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(json, info);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException("cannot parse " + file + ": " + e.getMessage(), e);
    }
    if (info.getAddress().isBlank()) {
      throw new IOException("cannot use " + file + ": it names no address");
    }
    return Optional.of(info.build());
  }

  void write(RegistryInfo info, Clock clock) throws IOException {
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      UnreadableFiles.moveAside(file, "not a regular file", clock); // a rename cannot replace it
    }
    AtomicFile.write(file, JsonFormat.printer().print(info).getBytes(StandardCharsets.UTF_8));
  }

  void removeIfOurs(RegistryInfo ours) throws IOException {
    Optional<RegistryInfo> current;
    try {
      current = read();
    } catch (IOException e) {
      return; // unreadable: not ours to judge
    }
    if (current.isPresent() && current.get().getAddress().equals(ours.getAddress())
        && current.get().getPid() == ours.getPid()) {
      Files.deleteIfExists(file);
    }
  }
}
